package keystore

import (
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// TestKWalletNoWallet: a KDE user who never made a wallet. kwalletd5
// serves the Secret Service with no collection at all, so go-keyring
// would fail only at the save, after Anytype minted a key ("Alias default
// does not exist"). Ready, the check pairing makes before its challenge,
// must say so, and list must say why it cannot tell the keys' states —
// as ErrNoCollection, which the CLI words for the provider in use.
func TestKWalletNoWallet(t *testing.T) {
	b := desktoptest.StartPrivateBus(t, "kwalletd5")
	t.Parallel()
	b.StartKWallet("test", desktoptest.KWalletNone)
	dir := t.TempDir()
	if err := writeIndex(dir, []Entry{testEntry("kept")}); err != nil {
		t.Fatal(err)
	}
	env := []string{childDir + "=" + dir, childReal + "=1", "DBUS_SESSION_BUS_ADDRESS=" + b.Addr}
	rep := runChild(t, "ready", env...)
	if r := rep["ready"]; !r.NoColl || !r.Unavailable {
		t.Errorf("Ready = %+v; want ErrNoCollection (and ErrUnavailable)", r)
	}
	if p := rep["provider"].Provider; p != ProviderKWallet {
		t.Errorf("provider = %q, want %q", p, ProviderKWallet)
	}
	rep = runChild(t, "states", env...)
	if r := rep["list"]; !r.NoColl || r.Entries != 1 || strings.Contains(r.Err, "KeePassXC") {
		t.Errorf("List = %+v; want the entry and ErrNoCollection, naming no other provider", r)
	}
	// get's own error says why, so no caller has to ask Ready (which may
	// raise an unlock prompt) to word it.
	if r := rep["get kept"]; !r.NoColl || !r.Unavailable || r.Locked {
		t.Errorf("Get = %+v; want ErrNoCollection (and ErrUnavailable, not ErrLocked)", r)
	}
}

// TestKWallet runs the real code (child processes) against kwalletd5 on a
// private bus: a key saved by anykey reads back with secret-tool (libsecret
// refuses go-keyring's own content type from KWallet); right after a
// pam_kwallet5 login, with the wallet open but its collection saying
// Locked=true, list shows the key present and get reads it without any
// prompt; with the wallet closed, list tells the locked key from the
// missing one (KWallet answers searches of a closed wallet).
func TestKWallet(t *testing.T) {
	b := desktoptest.StartPrivateBus(t, "kwalletd5", "secret-tool")
	t.Parallel()
	kw := b.StartKWallet("test", desktoptest.KWalletUnlocked)
	dir := t.TempDir()
	kept, gone := "kept ключ", "gone"
	env := []string{childDir + "=" + dir, childReal + "=1", "DBUS_SESSION_BUS_ADDRESS=" + b.Addr}

	rep := runChild(t, "save", append(env, childName+"="+kept)...)
	if r := rep["set"]; r.Err != "" {
		t.Fatalf("Set: %+v", r)
	}
	// desktoptest's lookup is secret-tool's, retrying only the sessions
	// kwalletd5 refuses (about one in 256, see SecretToolLookup).
	if out, err := desktoptest.SecretToolLookupOn(t.Context(), b.Addr, service, kept); err != nil || out != "secret-"+kept {
		t.Errorf("secret-tool lookup of the key anykey saved: %q, %v; want the key", out, err)
	}
	if err := writeIndex(dir, []Entry{testEntry(kept), testEntry(gone)}); err != nil {
		t.Fatal(err)
	}

	kw.Relogin()
	if !b.Locked(desktoptest.KWalletCollection) {
		t.Fatal("after the re-login the collection says unlocked: the case under test is gone")
	}
	rep = runChild(t, "states", append(env, childWait+"=5s")...)
	if got := rep["state "+kept].State; got != string(StatePresent) {
		t.Errorf("after a login, the wallet open: state of the saved key = %q, want present (get reads it without a prompt)", got)
	}
	if got := rep["state "+gone].State; got != string(StateMissing) {
		t.Errorf("after a login: state of the key without secret = %q, want missing", got)
	}
	if c := rep["collection"]; c.Locked || c.Err != "" {
		t.Errorf("after a login: Locked = %+v; want false (the wallet is open)", c)
	}
	if g := rep["get "+kept]; g.Err != "" {
		t.Errorf("after a login: get = %+v; want the key, without a prompt", g)
	}
	if p := rep["provider"].Provider; p != ProviderKWallet {
		t.Errorf("provider = %q, want %q", p, ProviderKWallet)
	}

	// Closed: no get here, its unlock dialog would wait for ever offscreen.
	kw.Close()
	rep = runChild(t, "list", env...)
	if r := rep["list"]; r.Err != "" || r.Entries != 2 {
		t.Errorf("wallet closed: List = %+v", r)
	}
	if c := rep["collection"]; !c.Locked || c.Err != "" {
		t.Errorf("wallet closed: Locked = %+v; want true", c)
	}
	if got := rep["state "+kept].State; got != string(StateLocked) {
		t.Errorf("wallet closed: state of the saved key = %q, want locked", got)
	}
	if got := rep["state "+gone].State; got != string(StateMissing) {
		t.Errorf("wallet closed: state of the key without secret = %q, want missing", got)
	}
}

// runChild runs the test binary in mode and parses its report.
func runChild(t *testing.T, mode string, env ...string) childReport {
	t.Helper()
	out, err := child(t, mode, env...).Output()
	return parseReport(t, out, err)
}
