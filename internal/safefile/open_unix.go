//go:build unix

package safefile

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// NoFollow are the extra open(2) flags for a file in a directory others
// might have planted something in: O_NOFOLLOW fails on a symlink (ELOOP),
// O_NONBLOCK makes opening a FIFO return at once.
const NoFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK

func open(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|NoFollow, 0)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s: %w (a symbolic link)", path, ErrNotRegular)
	}
	return f, err
}
