//go:build !unix && !windows

package safefile

import "os"

// NoFollow is 0 where open has no such flags; [ReadFile] checks with Lstat
// first and compares the opened file with it instead.
const NoFollow = 0

func open(path string) (*os.File, error) {
	if err := Lstat(path); err != nil {
		return nil, err
	}
	before, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if after, err := f.Stat(); err != nil || !os.SameFile(before, after) {
		f.Close()
		return nil, &os.PathError{Op: "open", Path: path, Err: ErrNotRegular}
	}
	return f, nil
}
