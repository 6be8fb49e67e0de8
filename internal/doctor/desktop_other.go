//go:build !linux && !darwin && !windows

package doctor

import (
	"context"
	"runtime"
)

// checkDesktop on other systems says only that the desktop pieces are not
// checked there.
func checkDesktop(ctx context.Context, o Options) []Finding {
	return []Finding{{Piece: PieceSessionBus, Title: "Desktop", Status: Info,
		Found: "the desktop pieces are not checked on " + runtime.GOOS}}
}
