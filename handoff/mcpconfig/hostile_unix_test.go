//go:build unix

package mcpconfig

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestInstallRefusesSpecialFiles: a config path that is a named pipe, or a
// symlink to one or to a device such as /dev/null, is refused at once: no
// read that waits for a writer, no rename over the device.
func TestInstallRefusesSpecialFiles(t *testing.T) {
	c, _ := Lookup("cursor")
	kinds := map[string]func(t *testing.T, file string){
		"fifo": func(t *testing.T, file string) {
			if err := syscall.Mkfifo(file, 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"symlink to a fifo": func(t *testing.T, file string) {
			fifo := filepath.Join(t.TempDir(), "pipe")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			os.Symlink(fifo, file)
		},
		// A device node of the test's own (as root), not /dev/null itself:
		// a regression must not be able to replace the machine's.
		"symlink to a null device": func(t *testing.T, file string) {
			dev := filepath.Join(t.TempDir(), "null")
			if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
				t.Skipf("mknod needs root: %v", err)
			}
			os.Symlink(dev, file)
		},
	}
	for name, mk := range kinds {
		t.Run(name, func(t *testing.T) {
			env := testEnv(t)
			file := c.File(env)
			os.MkdirAll(filepath.Dir(file), 0o700)
			mk(t, file)
			before, _ := os.Lstat(file)
			_, err := installBounded(t, c, env)
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), file) {
				t.Errorf("got %v", err)
			}
			if _, err := c.ReadStatus(env); !errors.Is(err, ErrNotRegular) {
				t.Errorf("status: %v", err)
			}
			after, _ := os.Lstat(file)
			if !os.SameFile(before, after) || before.Mode() != after.Mode() {
				t.Error("the path was replaced")
			}
			if fi, err := os.Stat(file); err == nil && fi.Mode().IsRegular() {
				t.Error("the target became a regular file")
			}
			ents, _ := os.ReadDir(filepath.Dir(file))
			if len(ents) != 1 {
				t.Errorf("%d entries beside the file, want none", len(ents)-1)
			}
		})
	}
}
