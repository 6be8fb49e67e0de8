package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/keystore"
)

// TestLockedKeychain: with the keychain locked, list (table and --json)
// and verify say locked, not missing, and tell how to unlock the keychain
// in use; get says the unlock failed, not that the key is gone.
func TestLockedKeychain(t *testing.T) {
	t.Parallel()
	h, key := seeded(t)
	h.store.SetProvider(keystore.Provider{Name: keystore.ProviderKeePassXC, KeepsDeleted: true})
	h.store.SetLocked(true)

	r := h.run(nil, "list")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 {
		t.Fatalf("list = %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	want(t, "gone row", lines[1], "gone", "missing from keychain")
	want(t, "work row", lines[2], "work", "locked in keychain")
	want(t, "list stderr", r.stderr, "the keychain is locked: 1 of 2 keys cannot be read", "hint: unlock the database in KeePassXC", "30s")
	noSecrets(t, "list", r.stdout+r.stderr, key)

	r = h.run(nil, "list", "--json")
	var items []listItem
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil || r.code != 0 || len(items) != 2 {
		t.Fatalf("list --json = %d %q (%v)", r.code, r.stdout, err)
	}
	if items[0].State != "missing" || !items[0].Missing || items[1].State != "locked" || items[1].Missing {
		t.Errorf("list --json states = %+v", items)
	}

	r = h.run(nil, "verify")
	if r.code != 1 || r.stdout != "gone: missing from keychain\nwork: locked in keychain\n1 missing from keychain, 1 locked in keychain\n" {
		t.Errorf("verify = %d %q; want 1 and work locked\n%s", r.code, r.stdout, r.stderr)
	}
	want(t, "verify stderr", r.stderr, "unlock the database in KeePassXC")

	r = h.run(nil, "get", "work")
	if r.code != 1 || r.stdout != "" {
		t.Errorf("get = %d %q", r.code, r.stdout)
	}
	want(t, "get stderr", r.stderr, "the keychain is locked", "hint: unlock the database in KeePassXC")
	if strings.Contains(r.stderr, "missing") || strings.Contains(r.stderr, "GNOME") {
		t.Errorf("get of a locked key: %q", r.stderr)
	}

	h.store.SetLocked(false)
	if r := h.run(nil, "verify", "work"); r.code != 0 || r.stdout != "work: valid\n" {
		t.Errorf("verify after unlocking = %d %q", r.code, r.stdout)
	}
}

// TestNoCollectionNamesProvider: a Secret Service with nowhere to save
// keys (keystore.ErrNoCollection) is worded for the program in use, with
// that program's remedy and no other's.
func TestNoCollectionNamesProvider(t *testing.T) {
	t.Parallel()
	all := []string{"GNOME Keyring", "KeePassXC", "KWallet"}
	for _, tc := range []struct {
		p    keystore.Provider
		want string // the provider named, "" for all three
		fix  string // the remedy's words
	}{
		{keystore.Provider{Name: keystore.ProviderKWallet}, "KWallet", "create a wallet in KWallet"},
		{keystore.Provider{Name: keystore.ProviderKeePassXC, KeepsDeleted: true}, "KeePassXC", "Secret Service Integration"},
		{keystore.Provider{Name: keystore.ProviderGNOMEKeyring}, "GNOME Keyring", "seahorse"},
		{keystore.Provider{Name: "secretd"}, "secretd", "create a default collection in secretd"},
		{keystore.Provider{}, "", "a wallet in KWallet"},
	} {
		what, hint := noCollection(tc.p)
		both := what + " / " + hint
		if !strings.Contains(hint, tc.fix) || strings.Contains(both, "unlock") {
			t.Errorf("%q: %q; want the remedy %q and no unlock", tc.p.Name, both, tc.fix)
		}
		for _, name := range all {
			named := strings.Contains(both, name)
			if (tc.want == "" && !named) || (tc.want != "" && named != (name == tc.want)) {
				t.Errorf("%q: %q; names %s = %v", tc.p.Name, both, name, named)
			}
		}
	}
}

// TestUnlockHintNamesProvider: every hint about a locked or failing
// keychain names the program in use, and only that one.
func TestUnlockHintNamesProvider(t *testing.T) {
	t.Parallel()
	all := []string{"GNOME Keyring", "KeePassXC", "KWallet", "Keychain"}
	for _, tc := range []struct {
		p    keystore.Provider
		want string // the one provider the hint names, "" for all three Linux ones
	}{
		{keystore.Provider{Name: keystore.ProviderGNOMEKeyring}, "GNOME Keyring"},
		{keystore.Provider{Name: keystore.ProviderKeePassXC, KeepsDeleted: true}, "KeePassXC"},
		{keystore.Provider{Name: keystore.ProviderKWallet}, "KWallet"},
		{keystore.Provider{Name: keystore.ProviderMacOS}, "Keychain"},
		{keystore.Provider{Name: "secretd"}, "secretd"},
		{keystore.Provider{Name: keystore.ProviderWindows}, "Windows"},
		{keystore.Provider{}, ""},
	} {
		got := unlockHint(tc.p)
		if tc.p.Name == keystore.ProviderWindows {
			if !strings.Contains(got, "Credential Manager") {
				t.Errorf("Windows: hint %q", got)
			}
			continue
		}
		if !strings.Contains(got, "anykey get, copy and exec") || !strings.Contains(got, keystore.KeychainTimeout.String()) {
			t.Errorf("%q: hint %q does not say what raises the prompt and for how long", tc.p.Name, got)
		}
		for _, name := range all {
			named := strings.Contains(got, name)
			if tc.want == "" && name != "Keychain" && !named {
				t.Errorf("unknown provider: hint %q does not list %s", got, name)
			}
			if tc.want != "" && named != (name == tc.want) {
				t.Errorf("%q: hint %q; names %s = %v", tc.p.Name, got, name, named)
			}
		}
		if tc.want == "secretd" && !strings.Contains(got, "secretd") {
			t.Errorf("hint %q does not name the provider", got)
		}
	}
}

// TestRmRecycleBin: rm does not claim the key is gone when the provider
// keeps deleted items, and says how to empty them; otherwise it says the
// key is removed.
func TestRmRecycleBin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		p           keystore.Provider
		want, avoid []string
	}{
		{keystore.Provider{Name: keystore.ProviderKeePassXC, KeepsDeleted: true},
			[]string{`removed key "work" from anykey`, "Recycle Bin", "still stored", "hint: to erase it, empty the Recycle Bin in KeePassXC", "revoke"},
			[]string{"from this computer"}},
		{keystore.Provider{Name: keystore.ProviderGNOMEKeyring},
			[]string{`removed key "work" from this computer`, "revoke"}, []string{"Recycle Bin", "still stored"}},
		{keystore.Provider{}, []string{`removed key "work" from this computer`}, []string{"Recycle Bin"}},
	} {
		h, _ := seeded(t)
		h.store.SetProvider(tc.p)
		r := h.run(nil, "rm", "work")
		if r.code != 0 {
			t.Fatalf("%q: rm = %d %s", tc.p.Name, r.code, r.stderr)
		}
		want(t, tc.p.Name+" rm", r.stderr, tc.want...)
		for _, s := range tc.avoid {
			if strings.Contains(r.stderr, s) {
				t.Errorf("%q: rm says %q:\n%s", tc.p.Name, s, r.stderr)
			}
		}
	}
}
