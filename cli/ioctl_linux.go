package cli

import "golang.org/x/sys/unix"

// The termios ioctls of readNoEcho.
const (
	ioctlGetTermios = unix.TCGETS
	ioctlSetTermios = unix.TCSETS
)
