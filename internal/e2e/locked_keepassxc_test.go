//go:build unix

package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// TestFaultKeePassXCLocked: the KeePassXC database that serves the Secret
// Service is locked. Asked for a key, KeePassXC shows its own unlock dialog
// on the desktop: the user who cancels it gets a clear failure at once,
// with a hint that names KeePassXC; the user who types the password gets
// the key. KeePassXC runs on a bus of the
// test's own, so locking it disturbs no other test; it runs in every
// desktop cell, on X11 and on Wayland.
func TestFaultKeePassXCLocked(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display)
	t.Parallel()
	pb := desktoptest.StartPrivateBus(t, "keepassxc", "keepassxc-cli")
	pb.StartKeePassXC("kp-test-password")
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	s.setenv("DBUS_SESSION_BUS_ADDRESS", pb.Addr)
	name, key := pairOne(t, s, fake, "kp-locked")

	pb.Lock(desktoptest.KeePassXCCollection)
	desktoptest.LockGUI(t) // KeePassXC's dialog takes the keyboard
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	const dialog = "^Unlock Database - KeePassXC$"

	// answer types into KeePassXC's dialog until it closes: Qt shows the
	// window a moment before its widgets take keys, and keys sent in that
	// moment are lost (seen on X11 and on Wayland).
	answer := func(text, key string) {
		t.Helper()
		for try := 0; try < 10; try++ {
			wid, err := desktoptest.WaitWindow(ctx, dialog)
			if err != nil {
				t.Fatal(err)
			}
			if text != "" {
				if err := desktoptest.TypeIntoWindow(ctx, dialog, "", "ctrl+a"); err != nil {
					t.Fatal(err)
				}
			}
			if err := desktoptest.TypeIntoWindow(ctx, dialog, text, key); err != nil {
				t.Fatal(err)
			}
			for end := time.Now().Add(time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
				if ids, _ := desktoptest.WindowIDs(ctx, dialog); !slices.Contains(ids, wid) {
					return
				}
			}
		}
		t.Fatalf("KeePassXC's unlock dialog did not take %s", key)
	}

	p := s.start(runOpts{exempt: true}, "get", name)
	// Cancel as a person does, not within a second of the dialog showing:
	// anykey reads an unlock that failed faster than that as "no prompt
	// could be shown" (keystore's promptFloor), which misread this test's
	// instant Escape (941 ms, seen in CI).
	if _, err := desktoptest.WaitWindow(ctx, dialog); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	answer("", "Escape")
	r := p.wait(t, 60*time.Second)
	wantFailure(t, r, 1, `keychain`)
	if r.stdout != "" {
		t.Errorf("get printed %q after the unlock was cancelled", r.stdout)
	}
	// The cancel is the answer: no wait for the keychain deadline (30 s).
	t.Logf("get reported the cancelled unlock after %s:\n%s", r.took.Round(time.Millisecond), r.stderr)
	if r.took > keystore.KeychainTimeout/3 {
		t.Errorf("get took %s to report the cancelled unlock", r.took)
	}
	if !strings.Contains(r.stderr, "hint: unlock the database in KeePassXC") {
		t.Errorf("the hint does not name KeePassXC, the provider in use:\n%s", r.stderr)
	}

	p = s.start(runOpts{exempt: true}, "get", name)
	answer("kp-test-password", "Return")
	if r := p.wait(t, 60*time.Second); r.code != 0 || r.stdout != key+"\n" {
		t.Errorf("get after unlocking in KeePassXC's dialog: exit %d, stdout is the key: %v\n%s",
			r.code, r.stdout == key+"\n", r.stderr)
	}
}
