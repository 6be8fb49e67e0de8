//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package cli

import "golang.org/x/sys/unix"

// The termios ioctls of readNoEcho.
const (
	ioctlGetTermios = unix.TIOCGETA
	ioctlSetTermios = unix.TIOCSETA
)

// flushInput drops what the terminal received and nobody read (tcflush(3)
// TCIFLUSH is TIOCFLUSH with FREAD there).
func flushInput(fd int) error { return unix.IoctlSetPointerInt(fd, unix.TIOCFLUSH, 1 /* FREAD */) }
