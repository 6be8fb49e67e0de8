//go:build unix

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// TestFaultKWalletNoWallet: a KDE user who never made a wallet. kwalletd5
// serves the Secret Service with no collection, so a save can only fail:
// pair must say so before it asks Anytype for a challenge, and pair, list
// and get must name KWallet and how to make a wallet, never another
// program's settings or an unlock prompt that will not come.
func TestFaultKWalletNoWallet(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	pb := desktoptest.StartPrivateBus(t, "kwalletd5")
	pb.StartKWallet("test", desktoptest.KWalletNone)
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	// A key saved in the session's keyring, so keys.json lists it; then
	// every run asks the KWallet without a wallet.
	saved := s.name("nowallet")
	if r := s.run("anytype_kwallet_test_key\n", "add", saved, "--no-verify"); r.code != 0 {
		t.Fatalf("add:\n%s", r)
	}
	s.setenv("DBUS_SESSION_BUS_ADDRESS", pb.Addr)

	check := func(r result) {
		t.Helper()
		wantFailure(t, r, 1, `KWallet has no wallet yet`)
		if !strings.Contains(r.stderr, "hint: create a wallet in KWallet") {
			t.Errorf("no hint to create a wallet in KWallet:\n%s", r)
		}
		for _, wrong := range []string{"KeePassXC", "unlock prompt", "seahorse"} {
			if strings.Contains(r.stderr, wrong) {
				t.Errorf("the message names %q, which has nothing to do with KWallet:\n%s", wrong, r)
			}
		}
	}

	challenges := fake.Challenges()
	r := s.run("1234\n", "pair", s.name("nowallet-pair"))
	check(r)
	if r.stdout != "" {
		t.Errorf("pair printed %q", r.stdout)
	}
	if n := fake.Challenges() - challenges; n != 0 {
		t.Errorf("pair spent %d challenges with nowhere to save the key", n)
	}

	r = s.run("", "list")
	check(r)
	if !strings.Contains(r.stdout, saved) {
		t.Errorf("list does not show the saved name:\n%s", r)
	}
	r = s.run("", "get", saved)
	check(r)
	if r.stdout != "" {
		t.Errorf("get printed %q", r.stdout)
	}
}

// TestKWalletAfterLogin: right after a pam_kwallet5 login the wallet is
// open but its Secret Service collection says Locked=true until a client
// unlocks it (which then needs no prompt). list must not call the key
// locked — get reads it at once — and, once the wallet is closed, must
// tell a key whose item was deleted (missing) from a locked one.
func TestKWalletAfterLogin(t *testing.T) {
	desktoptest.Require(t, desktoptest.SessionBus)
	t.Parallel()
	pb := desktoptest.StartPrivateBus(t, "kwalletd5", "secret-tool")
	kw := pb.StartKWallet("test", desktoptest.KWalletUnlocked)
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	s.setenv("DBUS_SESSION_BUS_ADDRESS", pb.Addr)
	kept, key := pairOne(t, s, fake, "kw-kept")
	gone, _ := pairOne(t, s, fake, "kw-gone")
	if r := s.runWith(runOpts{exempt: true}, "", "get", kept); r.code != 0 || r.stdout != key+"\n" {
		t.Fatalf("get before the re-login:\n%s", r)
	}
	// The item goes behind anykey's back (KWallet Manager, secret-tool).
	if err := secretToolClear(pb.Addr, gone); err != nil {
		t.Fatal(err)
	}

	kw.Relogin()
	r := s.run("", "list")
	if r.code != 0 || strings.Contains(r.stdout+r.stderr, "locked") {
		t.Errorf("list right after a login, the wallet open: want no key shown locked\n%s", r)
	}
	if !strings.Contains(lineOf(r.stdout, gone), "missing") || strings.Contains(lineOf(r.stdout, kept), "missing") {
		t.Errorf("list after a login: want only %s missing\n%s", gone, r)
	}
	if r := s.runWith(runOpts{exempt: true}, "", "get", kept); r.code != 0 || r.stdout != key+"\n" {
		t.Errorf("get right after a login: want the key without a prompt\n%s", r)
	}

	kw.Close() // no get now: its unlock dialog is shown nowhere here
	r = s.run("", "list")
	if !strings.Contains(lineOf(r.stdout, kept), "locked") || !strings.Contains(lineOf(r.stdout, gone), "missing") {
		t.Errorf("list with the wallet closed: want %s locked and %s missing\n%s", kept, gone, r)
	}
}

// lineOf is the line of out that holds name ("" if none).
func lineOf(out, name string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, name) {
			return l
		}
	}
	return ""
}

// secretToolClear deletes anykey's item for name on the bus at addr.
func secretToolClear(addr, name string) error {
	cmd := exec.Command("secret-tool", "clear", "service", keystore.TestService, "username", name)
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+addr)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("secret-tool clear %s: %v: %s", name, err, out)
	}
	return nil
}

// TestFaultKWalletLocked: the wallet is closed. Asked for a key, KWallet
// shows its own password dialog ("KDE Wallet Service"): the user who
// cancels it gets a clear failure at once, with a hint that names KWallet;
// the user who types the password gets the key. X11 only: kwalletd5's
// dialog is a Qt xcb window here (the Wayland cells skip it).
func TestFaultKWalletLocked(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display)
	if desktoptest.Wayland() {
		t.Skip("KWallet's password dialog is tested on X11 (kwalletd5 runs as an xcb client); this is a Wayland session")
	}
	t.Parallel()
	pb := desktoptest.StartPrivateBus(t, "kwalletd5", "xdotool")
	kw := pb.StartKWalletWithDialogs("kw-test-password", desktoptest.KWalletUnlocked)
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	s.setenv("DBUS_SESSION_BUS_ADDRESS", pb.Addr)
	name, key := pairOne(t, s, fake, "kw-locked")

	kw.Close()
	desktoptest.LockGUI(t) // the dialog takes the keyboard
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	const dialog = "^KDE Wallet Service$"
	// answer types into the dialog until it closes (Qt maps the window a
	// moment before it takes keys).
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
		t.Fatalf("KWallet's password dialog did not take %s", key)
	}

	p := s.start(runOpts{exempt: true}, "get", name)
	// Cancel as a person does, not within a second of the dialog showing:
	// anykey reads an unlock that failed faster than that as "no prompt
	// could be shown" (keystore's promptFloor); this test's instant Escape
	// was read so (612 ms, seen in CI).
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
	t.Logf("get reported the cancelled unlock after %s:\n%s", r.took.Round(time.Millisecond), r.stderr)
	if r.took > keystore.KeychainTimeout/3 {
		t.Errorf("get took %s to report the cancelled unlock", r.took)
	}
	if !strings.Contains(r.stderr, "hint: open the wallet in KWallet") || strings.Contains(r.stderr, "KeePassXC") {
		t.Errorf("the hint does not name KWallet, the provider in use, alone:\n%s", r.stderr)
	}

	p = s.start(runOpts{exempt: true}, "get", name)
	answer("kw-test-password", "Return")
	if r := p.wait(t, 60*time.Second); r.code != 0 || r.stdout != key+"\n" {
		t.Errorf("get after typing the password into KWallet's dialog: exit %d, stdout is the key: %v\n%s",
			r.code, r.stdout == key+"\n", r.stderr)
	}
}
