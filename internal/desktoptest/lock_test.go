//go:build unix

package desktoptest_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

func TestLockGUI(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DESKTOP_SESSION_DIR", dir)
	tryLock := func() error {
		f, err := os.OpenFile(filepath.Join(dir, "gui.lock"), os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	}
	t.Run("held", func(t *testing.T) {
		desktoptest.LockGUI(t)
		if err := tryLock(); err != syscall.EWOULDBLOCK {
			t.Errorf("second lock while held: %v, want EWOULDBLOCK", err)
		}
	})
	if err := tryLock(); err != nil {
		t.Errorf("lock after the holder's test ended: %v", err)
	}
}
