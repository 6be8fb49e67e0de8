// Package safefile reads small files that anykey keeps but does not trust,
// such as keys.json: a symlink is never followed, only a regular file is
// read, and never more than a cap. A FIFO, a device or a link to /dev/zero
// is an error at once, not a hang or gigabytes read.
//
// Start with [ReadFile]; [CheckRegular] checks a file another library
// opened (the lock file).
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular: the path is a symlink, FIFO, device, socket or directory.
var ErrNotRegular = errors.New("not a regular file")

// ErrNotOwned: the file or directory belongs to another user.
var ErrNotOwned = errors.New("not owned by you")

// ErrTooLarge: the file is larger than the caller's cap.
var ErrTooLarge = errors.New("file too large")

// Open opens path for reading as [ReadFile] does: without following a
// symlink in the last element, without blocking on a FIFO, and on Windows
// with delete sharing, so a writer can still replace the file by rename
// while it is open. It does not check what it opened; ReadFile does.
func Open(path string) (*os.File, error) { return open(path) }

// ReadFile returns the contents of the regular file at path, at most max
// bytes. It opens without following a symlink in the last path element and
// without blocking on a FIFO, then checks the opened file is regular and
// belongs to the user anykey runs as ([CheckOwner]). A
// missing file is an error wrapping fs.ErrNotExist.
func ReadFile(path string, max int64) ([]byte, error) {
	f, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := CheckRegular(path, fi); err != nil {
		return nil, err
	}
	if err := CheckOwner(path, fi); err != nil {
		return nil, err
	}
	if fi.Size() > max {
		return nil, fmt.Errorf("%s: %w (%d bytes, at most %d)", path, ErrTooLarge, fi.Size(), max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: %w (more than %d bytes)", path, ErrTooLarge, max)
	}
	return data, nil
}

// CheckRegular returns an error wrapping [ErrNotRegular] unless fi (from
// the opened file, or from Lstat) describes a regular file.
func CheckRegular(path string, fi fs.FileInfo) error {
	if fi.Mode().IsRegular() {
		return nil
	}
	return fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, kind(fi.Mode()))
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	}
	return "not a plain file"
}

// Lstat returns an error wrapping [ErrNotRegular] if path exists and is not
// a regular file (a symlink counts as not regular); nil if it is regular or
// missing.
func Lstat(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return CheckRegular(path, fi)
}
