//go:build linux || freebsd || openbsd || netbsd || dragonfly

package clip

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/gofrs/flock"
)

// TestCopyBesideStuckPeers: other processes that stop answering — one
// holding the clipboard lock, an application owning the clipboard — must
// neither lose a copy nor hang a clear. Every call under the lock has a
// deadline, and the wait for the lock fits in the time Copy gives its
// server.
func TestCopyBesideStuckPeers(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display)
	desktoptest.LockGUI(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	old := executable
	executable = func() (string, error) { return self, nil }
	t.Cleanup(func() { executable = old })

	t.Run("a lock held by a stopped process", func(t *testing.T) {
		// An anykey SIGSTOPped (or descheduled for long) in the middle of a
		// clear holds the lock: a copy still lands, marked.
		l := flock.New(genPath() + ".lock")
		if ok, err := l.TryLock(); err != nil || !ok {
			t.Fatalf("taking the clipboard lock: %v %v", ok, err)
		}
		defer l.Unlock()
		secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
		before := servers(t)
		start := time.Now()
		if err := Copy(secret, 30*time.Second); err != nil {
			t.Fatalf("copy beside a held lock: %v (after %v)", err, time.Since(start).Round(time.Millisecond))
		}
		t.Logf("copy beside a held lock took %v", time.Since(start).Round(time.Millisecond))
		pid := newServer(t, before)
		t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGTERM) })
		if got := clipboardText(t); got != secret {
			t.Errorf("the key is not on the clipboard (%d bytes)", len(got))
		}
	})
	t.Run("a frozen clipboard owner", func(t *testing.T) {
		// An application that owns the clipboard and stopped answering
		// (hung, or SIGSTOPped): a clear's check gives up on it in
		// bounded time, rather than hold the lock, and every later copy,
		// for as long as it stays frozen.
		name, args := "xclip", []string{"-quiet", "-i", "-selection", "clipboard"}
		if desktoptest.Wayland() {
			name, args = "wl-copy", []string{"--foreground"}
		}
		owner := exec.Command(name, args...)
		owner.Stdin = strings.NewReader("the frozen owner's text")
		if err := owner.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = owner.Process.Signal(syscall.SIGCONT)
			_ = owner.Process.Kill()
			_ = owner.Wait()
		})
		waitFor(t, 5*time.Second, func() bool { return clipboardText(t) == "the frozen owner's text" })
		if err := owner.Process.Signal(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- clearAt(newFingerprint([]byte("clip-test-other")), "") }()
		select {
		case err := <-done:
			t.Logf("a clear's check beside a frozen owner ended after %v: %v", time.Since(start).Round(time.Millisecond), err)
		case <-time.After(15 * time.Second):
			t.Fatal("a clear's check still waits for a frozen owner after 15 s, holding the clipboard lock")
		}
		secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
		before := servers(t)
		if err := Copy(secret, 30*time.Second); err != nil {
			t.Fatalf("copy after a frozen owner: %v", err)
		}
		pid := newServer(t, before)
		t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGTERM) })
	})
}
