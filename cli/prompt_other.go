//go:build !unix

package cli

import (
	"os"

	"golang.org/x/term"
)

// readNoEcho reads one line from the console f without echo.
func readNoEcho(f *os.File) (string, error) {
	b, err := term.ReadPassword(int(f.Fd()))
	return string(b), err
}

// hideInput does nothing: a Windows console echoes a line only as the
// program reads it (ReadConsole's line input), so nothing typed ahead of
// the prompt shows.
func hideInput(*os.File) func(bool) { return func(bool) {} }

// pendingLines: not on Windows, where the console keeps the rest of a
// paste as key events, not lines.
func pendingLines(*os.File) int { return 0 }
