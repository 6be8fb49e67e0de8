//go:build unix

package cli

import (
	"bufio"
	"errors"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// readNoEcho reads one line from the terminal f with ECHO off, leaving
// canonical mode and signals on, and puts the flags back. It is not
// term.ReadPassword because that one loops forever without reading when
// the user presses Ctrl-D at an empty line (its reader takes read(2)'s
// 0, nil for "try again"; x/term v0.48.0 terminal.go readPasswordLine).
func readNoEcho(f *os.File) (string, error) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return "", err
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	quiet.Iflag |= unix.ICRNL
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet); err != nil {
		return "", err
	}
	defer unix.IoctlSetTermios(fd, ioctlSetTermios, old)
	// os.File turns read(2)'s 0 into io.EOF; the line never outlives this
	// call in a buffer of its own beyond the string returned.
	line, err := bufio.NewReader(f).ReadString('\n')
	if errors.Is(err, io.EOF) && line != "" {
		err = nil // Ctrl-D after some input ends the line, as in a shell
	}
	return strings.TrimRight(line, "\r\n"), err
}
