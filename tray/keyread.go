package tray

// Reading a key from the keychain for a click, and saying what went wrong
// when the keychain could not give it.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/anykey-app/anykey/keystore"
)

// secret reads name's key from the keychain, explaining failures.
func (a *App) secret(ctx context.Context, name string) (keystore.Entry, string, bool) {
	kctx, cancel := context.WithTimeout(ctx, keystore.KeychainTimeout)
	defer cancel()
	e, err := a.d.Store.Lookup(kctx, name)
	var s string
	if err == nil {
		start := time.Now()
		s, err = a.d.Store.Get(kctx, name)
		if errors.Is(err, keystore.ErrLocked) && time.Since(start) < a.timing.promptFloor {
			err = noPromptError{err}
		}
	}
	if err == nil {
		if e.Locked || a.shownLocked(name) {
			a.reloadKeys(ctx) // the keychain is unlocked now: drop the mark
		}
		return e, s, true
	}
	a.notifyKeyProblem(ctx, name, err)
	return keystore.Entry{}, "", false
}

// notifyKeyProblem explains why name's key cannot be used.
func (a *App) notifyKeyProblem(ctx context.Context, name string, err error) {
	var bad *keystore.BadEntryError
	switch {
	case errors.As(err, &bad):
		a.notify(fmt.Sprintf("Key %q is not handed out", name),
			fmt.Sprintf("Its entry in keys.json is not valid: %s. Repair the file, or remove the key and pair again.", bad.Reason))
	case errors.Is(err, keystore.ErrSecretMissing):
		a.notify(fmt.Sprintf("Key %q is missing from the keychain", name),
			"Its name is saved here but the secret is gone. Remove it, then pair again or add the key from Anytype.")
	case errors.Is(err, keystore.ErrNotFound):
		a.notify(fmt.Sprintf("Key %q is gone", name), "It was removed, perhaps from the command line.")
		a.reloadKeys(ctx)
	default:
		// The menu first shows what the keychain is now, so the hint
		// names only items that are there.
		a.reloadKeys(ctx)
		a.notify(fmt.Sprintf("Could not read key %q", name), a.unlockProblem(name, err))
	}
}

// unlock reads name's key and forgets it: the read raises the keychain's
// unlock prompt, and the menu is rebuilt once the keychain is unlocked.
func (a *App) unlock(ctx context.Context, name string) {
	if _, _, ok := a.secret(ctx, name); ok {
		a.notify("Keychain unlocked", fmt.Sprintf("Key %q and the other keys can be used again.", name))
	}
}

// expiredHint is the body for an expired key.
func expiredHint(replaceShown bool) string {
	if replaceShown {
		return "Anytype no longer accepts it. Choose " + LabelRotate + " in its menu to pair a new one under the same name."
	}
	return "Anytype no longer accepts it. Remove it, then choose " + LabelNewKey + " to pair a new one."
}

// hasItem reports whether the menu for the current state holds an item
// labelled label, in any submenu: hints name only items that are there.
func (a *App) hasItem(label string) bool {
	var find func([]Item) bool
	find = func(items []Item) bool {
		for _, it := range items {
			if it.Label == label || find(it.Children) {
				return true
			}
		}
		return false
	}
	return find(buildMenu(a.snapshot()))
}

// shownLocked reports whether the menu shows name as locked.
func (a *App) shownLocked(name string) bool {
	for _, e := range a.snapshot().Keys {
		if e.Name == name {
			return e.Locked
		}
	}
	return false
}

func (a *App) reloadKeys(ctx context.Context) {
	a.loadKeys(ctx)
	a.trigger()
}
