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

// hideInput turns ECHO off on the terminal f at once, before anything is
// printed or read: the terminal echoes what arrives while ECHO is on, even
// if nobody reads it yet, so a key pasted right after the command's Enter
// would show while anykey still opens the keychain. restore puts the
// flags back; with discard it first drops input not read yet (TCIFLUSH),
// which the shell would otherwise read, echo and keep in its history.
func hideInput(f *os.File) (restore func(discard bool)) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return func(bool) {}
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	if unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet) != nil {
		return func(bool) {}
	}
	return func(discard bool) {
		if discard {
			_ = flushInput(fd)
		}
		_ = unix.IoctlSetTermios(fd, ioctlSetTermios, old)
	}
}

// pasteQuiet is how long, in tenths of a second (VTIME), the terminal
// must be quiet after the key's line before the rest of a paste is taken
// as read: 0.2 s, once per add at a terminal.
const pasteQuiet = 2

// pendingLines drains what the terminal f holds beyond the line just
// read (the rest of a paste) and returns how many of its lines are not
// blank, keeping none of it: left there, the shell would read it after
// anykey ends, echo it, run it and keep it in its history. It reads with
// canonical mode off, so a last line without Enter counts too, until the
// terminal has been quiet for [pasteQuiet] (VMIN 0, VTIME: a paste may
// come in pieces — a terminal writes a long one in parts, ssh passes it
// on as its packets arrive — and a piece that came after the drain went
// to the shell), then puts the flags back; past 64 KiB it drops the rest
// unread (TCIFLUSH).
func pendingLines(f *os.File) int {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return 0
	}
	raw := *old
	raw.Lflag &^= unix.ICANON | unix.ECHO
	raw.Cc[unix.VMIN], raw.Cc[unix.VTIME] = 0, pasteQuiet
	if unix.IoctlSetTermios(fd, ioctlSetTermios, &raw) != nil {
		return 0
	}
	defer unix.IoctlSetTermios(fd, ioctlSetTermios, old)
	var buf [4096]byte
	lines, blank := 0, true
	for total := 0; total < 64<<10; {
		n, err := unix.Read(fd, buf[:])
		if n <= 0 || err != nil {
			break // quiet for pasteQuiet (0), or a non-blocking descriptor's EAGAIN
		}
		for _, b := range buf[:n] {
			switch {
			case b == '\n' || b == '\r':
				if !blank {
					lines++
				}
				blank = true
			case b != ' ' && b != '\t':
				blank = false
			}
		}
		clear(buf[:n])
		total += n
	}
	if !blank {
		lines++
	}
	_ = flushInput(fd)
	return lines
}
