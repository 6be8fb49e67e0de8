//go:build unix

package desktoptest_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// failedTB is a test that has failed: it records Errorf and runs its
// cleanups when told to, so WatchKeyring's verdict can be read.
type failedTB struct {
	testing.TB
	cleanups []func()
	errs     []string
}

func (f *failedTB) Helper()                   {}
func (f *failedTB) Failed() bool              { return true }
func (f *failedTB) Cleanup(fn func())         { f.cleanups = append(f.cleanups, fn) }
func (f *failedTB) Errorf(s string, a ...any) { f.errs = append(f.errs, fmt.Sprintf(s, a...)) }
func (f *failedTB) end() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}

// TestWatchKeyring kills a real gnome-keyring-daemon on a private bus under
// a failed test: the test log must say that the Secret Service died, and
// nothing while it lives.
func TestWatchKeyring(t *testing.T) {
	b := desktoptest.StartPrivateBus(t, "gnome-keyring-daemon")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", b.Addr)
	if desktoptest.KeyringAlive() {
		t.Fatal("KeyringAlive before any keyring started")
	}
	keyring := b.Start("test", "gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	b.WaitOwner("org.freedesktop.secrets")
	if !desktoptest.KeyringAlive() {
		t.Fatal("KeyringAlive = false with gnome-keyring running")
	}

	alive := &failedTB{TB: t}
	desktoptest.WatchKeyring(alive)
	alive.end()
	if len(alive.errs) != 0 {
		t.Errorf("the keyring lived, yet: %q", alive.errs)
	}

	dead := &failedTB{TB: t}
	desktoptest.WatchKeyring(dead)
	// SIGTRAP, as a GLib g_error would end it.
	if err := keyring.Process.Signal(syscall.SIGTRAP); err != nil {
		t.Fatal(err)
	}
	desktoptest.WaitUntil(t, 10*time.Second, "the keyring to go", func() bool { return !b.HasOwner("org.freedesktop.secrets") })
	dead.end()
	if len(dead.errs) != 1 || !strings.Contains(dead.errs[0], "Secret Service") || !strings.Contains(dead.errs[0], "died during this test") {
		t.Errorf("after the keyring died: %q", dead.errs)
	}
	if desktoptest.KeyringAlive() {
		t.Error("KeyringAlive = true after the keyring died")
	}
}
