package mcpconfig

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// MaxFileSize is the largest config file anykey reads, in bytes. Claude
// Code's ~/.claude.json keeps per-project history and grows to tens of
// megabytes; a file beyond this is not one anykey should load whole.
const MaxFileSize = 64 << 20

// ErrNotRegular is wrapped for a config path that is not a regular file
// once symlinks are followed: a directory, a named pipe (reading it would
// wait for a writer forever), a device such as /dev/null (replacing it
// would replace the device), or a socket.
var ErrNotRegular = errors.New("is not a regular file")

// ErrTooLarge is wrapped for a config file over [MaxFileSize], or over
// [MaxParseSize] where anykey has to parse it whole.
var ErrTooLarge = fmt.Errorf("%w than %d MB", errTooLargeBase, MaxFileSize>>20)

// errTooLargeBase is what both size errors wrap: errors.Is(err,
// ErrTooLarge) holds for each through [tooLarge].
var errTooLargeBase = tooLarge{}

type tooLarge struct{}

func (tooLarge) Error() string        { return "is larger" }
func (tooLarge) Is(target error) bool { return target == ErrTooLarge }

// ErrNotAbsolute is wrapped for a config path that is not absolute: HOME
// unset, or a client's variable (CODEX_HOME, …) set to a relative path. It
// would name a file in whatever directory anykey was started in.
var ErrNotAbsolute = errors.New("is not an absolute path; set HOME (and the client's own variable, if you use one) to an absolute directory")

// abs reports whether p is absolute on os (a GOOS value), whatever the OS
// the code runs on.
func abs(os, p string) bool {
	if os != "windows" {
		return strings.HasPrefix(p, "/")
	}
	return strings.HasPrefix(p, `\\`) || len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/')
}

// readFile reads a config file; exists is false when there is none. What is
// not a regular file is refused before it is opened, and opened without
// blocking in case it was swapped for a pipe meanwhile.
func readFile(name string) (data []byte, exists bool, err error) {
	fi, err := os.Stat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if err := regular(fi); err != nil {
		return nil, true, err
	}
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, true, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, true, err
	}
	if err := regular(fi); err != nil {
		return nil, true, err
	}
	if fi.Size() > MaxFileSize {
		return nil, true, ErrTooLarge
	}
	data, err = io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err == nil && len(data) > MaxFileSize {
		err = ErrTooLarge
	}
	return data, true, err
}

func regular(fi fs.FileInfo) error {
	m := fi.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return fmt.Errorf("%w: it is a directory", ErrNotRegular)
	case m&fs.ModeNamedPipe != 0:
		return fmt.Errorf("%w: it is a named pipe (FIFO)", ErrNotRegular)
	case m&fs.ModeDevice != 0:
		return fmt.Errorf("%w: it is a device", ErrNotRegular)
	case m&fs.ModeSocket != 0:
		return fmt.Errorf("%w: it is a socket", ErrNotRegular)
	}
	return ErrNotRegular
}

// utf8BOM is the byte order mark some Windows editors put first.
var utf8BOM = []byte("\xef\xbb\xbf")

// textForm is how a file writes what its parser ignores: a leading byte
// order mark and CRLF line ends. The format editors work on the bare text;
// the result is given the same form again, so an edit changes only the
// entry.
type textForm struct{ bom, crlf bool }

// plainText strips the form from data. Line ends are converted only when every
// line ends in CRLF, so that converting back restores each byte.
func plainText(data []byte) ([]byte, textForm) {
	var f textForm
	data, f.bom = bytes.CutPrefix(data, utf8BOM)
	if n := bytes.Count(data, []byte("\n")); n > 0 && bytes.Count(data, []byte("\r\n")) == n {
		f.crlf = true
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	return data, f
}

// dress gives data the form again.
func (f textForm) dress(data []byte) []byte {
	if f.crlf {
		data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
	}
	if f.bom {
		data = append(bytes.Clone(utf8BOM), data...)
	}
	return data
}
