//go:build unix

package desktoptest

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// LockGUI serializes tests that use global desktop state (keyboard focus,
// the clipboard, on-screen dialogs) across every test binary sharing the
// session: `go test ./...` runs packages in parallel. It holds an exclusive
// lock on $DESKTOP_SESSION_DIR/gui.lock until the test ends. Outside a
// session it does nothing.
func LockGUI(t testing.TB) {
	t.Helper()
	dir := SessionDir()
	if dir == "" {
		return
	}
	f, err := os.OpenFile(filepath.Join(dir, "gui.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatalf("desktoptest: LockGUI: %v", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		t.Fatalf("desktoptest: LockGUI: %v", err)
	}
	t.Cleanup(func() { f.Close() }) // closing the file releases the lock
}
