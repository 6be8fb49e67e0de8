package keystore

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/godbus/dbus/v5"
)

// TestLockedSecretService runs list, get and the provider check of the real
// code (a child process: go-keyring's bus connection is per process)
// against a real gnome-keyring on a private bus, in both ways a keyring
// gets locked: locked while running (Secret Service Lock, as a screen lock
// or `secret-tool lock` does), and loaded locked after the daemon restarts
// without --unlock (a login without auto-unlock). Before the move to
// godbus, the second showed every key as missing. On a private bus, so
// locking disturbs no other test.
func TestLockedSecretService(t *testing.T) {
	b := desktoptest.StartPrivateBus(t, "gnome-keyring-daemon", "secret-tool")
	t.Parallel()
	daemon := b.Start("test", "gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	b.WaitOwner(ssName)

	dir := t.TempDir()
	kept, gone := "kept ключ", "gone"
	if err := writeIndex(dir, []Entry{testEntry(kept), testEntry(gone)}); err != nil {
		t.Fatal(err)
	}
	// Stored as go-keyring stores it, so only "gone" lacks its secret.
	store := exec.Command("secret-tool", "store", "--label=test", "service", service, "username", kept)
	store.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+b.Addr)
	store.Stdin = strings.NewReader("anytype_kept")
	if out, err := store.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v: %s", err, out)
	}

	check := func(t *testing.T, wantKept string) {
		t.Helper()
		out, err := child(t, "states", childDir+"="+dir, childReal+"=1", "DBUS_SESSION_BUS_ADDRESS="+b.Addr).Output()
		rep := parseReport(t, out, err)
		if r := rep["list"]; r.Err != "" || r.Entries != 2 {
			t.Errorf("List = %d entries, %q; want 2, no error", r.Entries, r.Err)
		}
		if got := rep["state "+kept].State; got != wantKept {
			t.Errorf("state of the stored key = %q, want %q", got, wantKept)
		}
		if got := rep["state "+gone].State; got != string(StateMissing) {
			t.Errorf("state of the key without secret = %q, want missing", got)
		}
		g := rep["get "+kept]
		if locked := wantKept == string(StateLocked); g.Locked != locked || (locked && !g.Unavailable) || (!locked && g.Err != "") {
			t.Errorf("get of the stored key = %+v; want locked=%v", g, locked)
		}
		// The private bus has no prompter for gnome-keyring to start: the
		// unlock fails at once, and says that no prompt could be shown.
		if locked := wantKept == string(StateLocked); g.NoPrompt != locked {
			t.Errorf("get of the stored key = %+v; want no_prompt=%v", g, locked)
		}
		if p := rep["provider"].Provider; p != ProviderGNOMEKeyring {
			t.Errorf("provider = %q, want %q", p, ProviderGNOMEKeyring)
		}
	}

	t.Run("unlocked", func(t *testing.T) { check(t, string(StatePresent)) })

	t.Run("locked while running", func(t *testing.T) {
		var locked []dbus.ObjectPath
		var prompt dbus.ObjectPath
		err := b.Conn.Object(ssName, ssPath).Call(ssService+".Lock", 0, []dbus.ObjectPath{loginPath}).Store(&locked, &prompt)
		if err != nil || len(locked) != 1 || prompt != "/" {
			t.Fatalf("Lock = %v, %q, %v", locked, prompt, err)
		}
		check(t, string(StateLocked))
	})

	t.Run("loaded locked after a restart", func(t *testing.T) {
		daemon.Process.Signal(syscall.SIGTERM)
		daemon.Wait()
		desktoptest.WaitUntil(t, 10*time.Second, "the keyring daemon to leave the bus", func() bool { return !b.HasOwner(ssName) })
		// No --unlock: the login keyring on disk is loaded locked.
		b.Start("", "gnome-keyring-daemon", "--foreground", "--components=secrets")
		b.WaitOwner(ssName)
		check(t, string(StateLocked))
	})
}
