package tray

import (
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// TestLockedKeychain: the menu marks a key in a locked keychain as locked
// (not missing) and offers Unlock keychain…; a refused unlock names the
// keychain program in use; once it is unlocked, Unlock and Copy work and
// the menu drops the mark.
func TestLockedKeychain(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	if err := e.store.Set(t.Context(), keystore.Entry{Name: "work", APIURL: e.srv.URL()}, "anytype_locked_secret", false); err != nil {
		t.Fatal(err)
	}
	e.extra = append(e.extra, "anytype_locked_secret")
	e.store.SetProvider(keystore.Provider{Name: keystore.ProviderKeePassXC})
	e.store.SetLocked(true)
	e.app.reloadKeys(t.Context())
	if it, ok := findItem(buildMenu(e.app.snapshot()), "work (keychain locked)"); !ok {
		t.Fatal("no locked item for work")
	} else if u, ok := findItem(it.Children, LabelUnlock); !ok || !u.Enabled || u.Action != (Action{Kind: ActUnlock, Key: "work"}) {
		t.Errorf("Unlock keychain… = %+v, %v", u, ok)
	}

	// Refused at once (the memory store answers in microseconds): no
	// prompt can have been shown, and the body says so.
	e.click(ActUnlock, "work")
	n := e.notes.all()
	if len(n) != 1 || n[0].Title != `Could not read key "work"` ||
		!strings.Contains(n[0].Body, "KeePassXC could not show an unlock prompt here") || strings.Contains(n[0].Body, "answer") ||
		strings.Contains(n[0].Body, "GNOME") || strings.Contains(n[0].Body, "missing") {
		t.Errorf("refused unlock without a prompt notified %+v", n)
	}
	// Refused after a prompt was up (dismissed): answer it next time,
	// from the Unlock keychain… item the menu shows.
	e.app.timing.promptFloor = 0
	e.click(ActUnlock, "work")
	n = e.notes.all()
	if len(n) != 2 || !strings.Contains(n[1].Body, "KeePassXC's unlock prompt") || !strings.Contains(n[1].Body, LabelUnlock) {
		t.Errorf("dismissed unlock notified %+v", n)
	}

	e.store.SetLocked(false) // as if the user unlocked at the prompt
	e.click(ActUnlock, "work")
	if got := lastTitle(e); got != "Keychain unlocked" {
		t.Errorf("after unlocking: last notification %q", got)
	}
	if _, ok := findItem(buildMenu(e.app.snapshot()), "work"); !ok {
		t.Errorf("menu still marks work: %v", labels(buildMenu(e.app.snapshot()), ""))
	}
	e.click(ActCopyKey, "work")
	if c := e.clip.all(); len(c) != 1 || c[0] != "anytype_locked_secret" {
		t.Errorf("copy after unlocking: %d copies", len(c))
	}
	e.checkNoSecretShown(t)
}

func TestLockedProblem(t *testing.T) {
	t.Parallel()
	if got := lockedProblem(&keystore.TimeoutError{Op: "lookup", After: 30 * time.Second}, "GNOME Keyring", true); !strings.Contains(got, "30s") ||
		!strings.Contains(got, "GNOME Keyring's unlock prompt may be waiting") {
		t.Errorf("timeout: %q", got)
	}
	if got := lockedProblem(keystore.ErrLocked, "KWallet", true); !strings.Contains(got, "KWallet's unlock prompt") || !strings.Contains(got, LabelUnlock) {
		t.Errorf("locked: %q", got)
	}
	// The class of issue 22: a hint names Unlock keychain… only when the
	// menu shows it, and no prompt when none could be shown.
	if got := lockedProblem(keystore.ErrLocked, "KWallet", false); strings.Contains(got, LabelUnlock) || !strings.Contains(got, "KWallet's unlock prompt") {
		t.Errorf("locked, item not shown: %q", got)
	}
	if got := lockedProblem(noPromptError{keystore.ErrLocked}, "GNOME Keyring", true); !strings.Contains(got, "GNOME Keyring could not show an unlock prompt here") ||
		strings.Contains(got, LabelUnlock) || strings.Contains(got, "answer") {
		t.Errorf("no prompt: %q", got)
	}
}

// TestRemoveRecycleBin: Remove… does not say the key is gone when the
// keychain keeps deleted items (KeePassXC's Recycle Bin).
func TestRemoveRecycleBin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		p   keystore.Provider
		bin bool
	}{
		{keystore.Provider{Name: keystore.ProviderKeePassXC, KeepsDeleted: true}, true},
		{keystore.Provider{Name: keystore.ProviderGNOMEKeyring}, false},
	} {
		e := newEnv(t, fakeanytype.Config{})
		e.save(t, "work", "recycled-secret")
		e.store.SetProvider(tc.p)
		e.click(ActRemove, "work")
		n := e.notes.all()
		body := n[len(n)-1].Body
		if got := strings.Contains(body, "KeePassXC moved it to its Recycle Bin") && strings.Contains(body, "empty the Recycle Bin"); got != tc.bin {
			t.Errorf("%s: removal notice %q; want the Recycle Bin named: %v", tc.p.Name, body, tc.bin)
		}
		if !strings.Contains(body, "Settings → API Keys") {
			t.Errorf("%s: removal notice does not say where to revoke: %q", tc.p.Name, body)
		}
	}
}
