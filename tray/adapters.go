package tray

import (
	"time"

	"github.com/anykey-app/anykey/clip"
	"github.com/anykey-app/anykey/packaging"
)

// Clipboard is the real [Copier] (package clip: a detached helper clears
// the clipboard later, only if it still holds the secret).
type Clipboard struct{}

func (Clipboard) Copy(secret string, clearAfter time.Duration) error {
	return clip.Copy(secret, clearAfter)
}

// LoginItem is the real [Autostart] (package packaging).
type LoginItem struct{}

func (LoginItem) Enabled() (bool, error) { return packaging.AutostartEnabled() }
func (LoginItem) Enable() error          { return packaging.EnableAutostart() }
func (LoginItem) Disable() error         { return packaging.DisableAutostart() }

// Path is the start-at-login entry's file, which the tray watches so a
// change made from the command line shows in the menu.
func (LoginItem) Path() (string, error) { return packaging.AutostartPath() }
