//go:build linux || freebsd || openbsd || netbsd || dragonfly

package clip

import (
	"os"

	"golang.org/x/sys/unix"
)

// canServe: a graphical session is named. Which display server serves is
// ownClipboard's choice.
func canServe() bool {
	return os.Getenv("WAYLAND_DISPLAY") != "" || os.Getenv("DISPLAY") != ""
}

// ownClipboard owns the clipboard of this session with text: through
// Wayland's data-control protocol where the compositor has it, else
// through the X server ($DISPLAY; under GNOME's Wayland that is Xwayland,
// whose clipboard Mutter hands on to Wayland clients).
func ownClipboard(text []byte) (selectionOwner, error) {
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		o, err := ownWayland(text)
		if err == nil || !isNoDataControl(err) {
			return o, err
		}
	}
	if os.Getenv("DISPLAY") != "" {
		return ownX11("", text)
	}
	return nil, errCannotServe
}

// lockMemory keeps b's pages out of swap (mlock(2)), best effort: the
// RLIMIT_MEMLOCK of an unprivileged user (8 MiB on Debian) covers a key.
func lockMemory(b []byte) {
	if len(b) > 0 {
		_ = unix.Mlock(b)
	}
}
