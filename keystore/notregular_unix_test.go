//go:build unix

package keystore

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestIndexNotRegular: a FIFO, a device link or a symlink at keys.json or
// its lock is an error at once, never a hang.
func TestIndexNotRegular(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		file string
		make func(path string) error
	}{
		{"fifo", indexName, func(p string) error { return syscall.Mkfifo(p, 0o600) }},
		{"dev-zero", indexName, func(p string) error { return os.Symlink("/dev/zero", p) }},
		{"symlink", indexName, func(p string) error {
			target := p + ".real"
			if err := os.WriteFile(target, []byte(`{"version":1,"keys":[]}`), 0o600); err != nil {
				return err
			}
			return os.Symlink(target, p)
		}},
		{"lock-fifo", lockName, func(p string) error { return syscall.Mkfifo(p, 0o600) }},
		{"lock-symlink", lockName, func(p string) error { return os.Symlink(filepath.Join(filepath.Dir(p), "elsewhere"), p) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			k := testKeyring(t, newMapBackend())
			if err := tc.make(filepath.Join(filepath.Dir(k.IndexPath()), tc.file)); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 2)
			go func() {
				_, err := k.List(t.Context())
				if tc.file == lockName {
					err = k.Set(t.Context(), testEntry("n"), "s", false)
				}
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, ErrCorruptIndex) {
					t.Errorf("got %v, want ErrCorruptIndex", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("hangs")
			}
			if _, err := os.Lstat(filepath.Join(filepath.Dir(k.IndexPath()), "elsewhere")); err == nil {
				t.Error("a file was created through the lock symlink")
			}
		})
	}
}
