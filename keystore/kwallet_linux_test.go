package keystore

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestKWalletManyKeysAndRm: 100 keys in one KWallet wallet, each saved by
// its own Set, as a user who made many reaches: list shows every one
// present and the one deleted behind anykey's back missing; with the
// wallet closed, the others locked and that one still missing. rm with
// the wallet closed (its unlock dialog answered by nobody) fails within
// its deadline and keeps both the entry and the secret; once the wallet
// is open again, rm removes the secret too, and rm of the missing one
// drops its entry. Ready and a save with the wallet closed wait for the
// unlock as rm does, and change nothing.
func TestKWalletManyKeysAndRm(t *testing.T) {
	b := desktoptest.StartPrivateBus(t, "kwalletd5", "secret-tool")
	t.Parallel()
	kw := b.StartKWallet("test", desktoptest.KWalletUnlocked)
	dir := t.TempDir()
	env := []string{childDir + "=" + dir, childReal + "=1", "DBUS_SESSION_BUS_ADDRESS=" + b.Addr}
	if r := runChild(t, "save-many", append(env, childName+"=many-")...)["set"]; r.Err != "" || r.Entries != manyKeys {
		t.Fatalf("saving %d keys: %+v", manyKeys, r)
	}
	gone, kept := "many-042", "many-007"
	clear := exec.CommandContext(t.Context(), "secret-tool", "clear", "service", service, "username", gone)
	clear.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+b.Addr)
	if out, err := clear.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool clear: %v: %s", err, out)
	}
	states := func(rep childReport) map[string]int {
		n := map[string]int{}
		for step, r := range rep {
			if strings.HasPrefix(step, "state ") {
				n[r.State]++
			}
		}
		return n
	}
	rep := runChild(t, "list", env...)
	if r, n := rep["list"], states(rep); r.Err != "" || r.Entries != manyKeys || n[string(StatePresent)] != manyKeys-1 ||
		rep["state "+gone].State != string(StateMissing) {
		t.Errorf("wallet open: List = %+v, states %v; want %d present and %s missing", r, n, manyKeys-1, gone)
	}

	kw.Close()
	rep = runChild(t, "list", env...)
	if r, n := rep["list"], states(rep); r.Err != "" || r.Entries != manyKeys || n[string(StateLocked)] != manyKeys-1 ||
		rep["state "+gone].State != string(StateMissing) {
		t.Errorf("wallet closed: List = %+v, states %v; want %d locked and %s missing", r, n, manyKeys-1, gone)
	}
	start := time.Now()
	rep = runChild(t, "delete", append(env, childName+"="+kept, childWait+"=5s")...)
	if r := rep["delete"]; r.Err == "" || !(r.Locked || r.Timeout || r.Unavailable) {
		t.Errorf("rm with the wallet closed = %+v; want a locked or unavailable keychain", r)
	}
	t.Logf("rm with the wallet closed, after %v: %+v", time.Since(start).Round(time.Millisecond), rep["delete"])
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("rm with the wallet closed took %v; its deadline is 5 s", d)
	}
	// Ready (pair's check before its challenge) and a save wait for the
	// unlock too, and fail at their deadline: no challenge is spent, and
	// keys.json gains nothing.
	rep = runChild(t, "ready", append(env, childWait+"=5s")...)
	if r := rep["ready"]; !r.Timeout && !r.Locked {
		t.Errorf("Ready with the wallet closed = %+v; want it to wait for the unlock, then fail", r)
	}
	rep = runChild(t, "save", append(env, childName+"=many-new", childWait+"=5s")...)
	if r := rep["set"]; r.Err == "" {
		t.Errorf("save with the wallet closed = %+v; want a failure", r)
	}
	entries, err := readIndex(filepath.Join(dir, indexName))
	if err != nil || findEntry(entries, kept) < 0 || findEntry(entries, "many-new") >= 0 || len(entries) != manyKeys {
		t.Errorf("after the failed rm and save, keys.json has %d entries (%v), %s: %v, many-new: %v; want the %d as they were",
			len(entries), err, kept, findEntry(entries, kept) >= 0, findEntry(entries, "many-new") >= 0, manyKeys)
	}

	kw.Relogin()
	kw.Unlock()
	if out, err := desktoptest.SecretToolLookupOn(t.Context(), b.Addr, service, kept); err != nil || out != "secret-"+kept {
		t.Errorf("after the failed rm the secret of %s is %q, %v; want it kept", kept, out, err)
	}
	for _, n := range []string{kept, gone} {
		if r := runChild(t, "delete", append(env, childName+"="+n)...)["delete"]; r.Err != "" {
			t.Errorf("rm %s with the wallet open: %+v", n, r)
		}
	}
	if _, err := desktoptest.SecretToolLookupOn(t.Context(), b.Addr, service, kept); !errors.Is(err, desktoptest.ErrNoSecret) {
		t.Errorf("after rm, secret-tool finds %s: %v", kept, err)
	}
	rep = runChild(t, "list", env...)
	if r, n := rep["list"], states(rep); r.Err != "" || r.Entries != manyKeys-2 || n[string(StatePresent)] != manyKeys-2 {
		t.Errorf("after both rm: List = %+v, states %v; want %d present", r, n, manyKeys-2)
	}
}
