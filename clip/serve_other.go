//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package clip

// On Windows and macOS the clipboard keeps what a program puts on it after
// the program ends, so Copy writes it in-process with its marks
// (write_windows.go, write_darwin.go) and no server is needed.

func canServe() bool { return false }

func ownClipboard([]byte) (selectionOwner, error) { return nil, errCannotServe }

func readOwned() (string, error) { return "", errCannotServe }

func lockMemory([]byte) {}
