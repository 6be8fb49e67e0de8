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
