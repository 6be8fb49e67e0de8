//go:build !unix

package cli

import "os"

// readableNow reports whether a read of f would not block. Without
// poll(2) only files and devices are known not to block; a pipe is taken
// as one whose writer may still write.
func readableNow(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && (fi.Mode().IsRegular() || fi.Mode()&os.ModeCharDevice != 0)
}
