package cli

import "golang.org/x/sys/unix"

// The termios ioctls of readNoEcho.
const (
	ioctlGetTermios = unix.TCGETS
	ioctlSetTermios = unix.TCSETS
)

// flushInput drops what the terminal received and nobody read (tcflush(3)
// TCIFLUSH).
func flushInput(fd int) error { return unix.IoctlSetInt(fd, unix.TCFLSH, unix.TCIFLUSH) }
