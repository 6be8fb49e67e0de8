//go:build linux || freebsd || openbsd || netbsd || dragonfly

package clip

import (
	"fmt"
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
// whose clipboard Mutter hands on to Wayland clients; also the way out
// when $WAYLAND_DISPLAY is stale, as in a terminal multiplexer that
// outlived its session).
func ownClipboard(text []byte) (selectionOwner, error) {
	var wlErr error
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		o, err := ownWayland(text)
		if err == nil {
			return o, nil
		}
		wlErr = err
	}
	if os.Getenv("DISPLAY") != "" {
		o, err := ownX11("", text)
		if err != nil && wlErr != nil && !isNoDataControl(wlErr) {
			// Neither display server answered: say both.
			return nil, fmt.Errorf("%w; %w", wlErr, err)
		}
		return o, err
	}
	if wlErr != nil && !isNoDataControl(wlErr) {
		return nil, wlErr
	}
	return nil, errCannotServe
}

// readOwned reads the session's clipboard as a requestor does, whoever
// owns it: on Wayland with the tool atotto/clipboard runs (wl-paste), on
// X11 (also when that fails beside an X server: a stale
// $WAYLAND_DISPLAY, or Xwayland) over a connection of its own.
func readOwned() (string, error) {
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		s, err := readAll()
		if err == nil || os.Getenv("DISPLAY") == "" {
			return s, err
		}
	}
	return readX11()
}

// lockMemory keeps b's pages out of swap (mlock(2)), best effort: the
// RLIMIT_MEMLOCK of an unprivileged user (8 MiB on Debian) covers a key.
func lockMemory(b []byte) {
	if len(b) > 0 {
		_ = unix.Mlock(b)
	}
}
