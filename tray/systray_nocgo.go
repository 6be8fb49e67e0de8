//go:build darwin && !cgo

package tray

import (
	"context"
	"errors"
)

// Run cannot show a tray in this build: fyne.io/systray needs cgo on macOS.
func Run(ctx context.Context, d Deps) error {
	return errors.New("this anykey was built without cgo, which the macOS menu bar needs; use the command line (anykey help)")
}
