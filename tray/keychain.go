package tray

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/anykey-app/anykey/keystore"
)

// The notification bodies for keychain failures: what happened and what
// to do next, in the words of the keychain program in use.

// unlockProblem is [keychainProblem] naming the keychain program in use
// when the keychain is locked or an unlock prompt may be waiting. It names
// Unlock keychain… only when the menu shows it under key name.
func (a *App) unlockProblem(name string, err error) string {
	var te *keystore.TimeoutError
	if !errors.Is(err, keystore.ErrLocked) && !errors.As(err, &te) {
		return keychainProblem(err, a.provider())
	}
	prog := "your keyring"
	if p := a.provider().Name; p != "" {
		prog = p
	}
	return lockedProblem(err, prog, a.shownLocked(name))
}

// noPromptError is a keychain that answered "still locked" faster than a
// person answers an unlock prompt ([timing.promptFloor]): it showed none
// (gnome-keyring with no prompter to start answers in about 0.1 s).
type noPromptError struct{ err error }

func (e noPromptError) Error() string { return e.err.Error() }
func (e noPromptError) Unwrap() error { return e.err }

// provider says which program serves the keychain, when the store can
// tell (it never prompts).
func (a *App) provider() keystore.Provider {
	if p, ok := a.d.Store.(interface {
		Provider(context.Context) keystore.Provider
	}); ok {
		return p.Provider(context.Background())
	}
	return keystore.Provider{}
}

// lockedProblem is the notification body for a keychain that stayed
// locked, naming prog, the keychain program in use, and Unlock keychain…
// only when unlockShown (the menu shows it under the key).
func lockedProblem(err error, prog string, unlockShown bool) string {
	var te *keystore.TimeoutError
	var np noPromptError
	switch {
	case errors.As(err, &te):
		return fmt.Sprintf("The keychain did not answer in %s; %s's unlock prompt may be waiting. Unlock %s, then try again.", te.After.Round(time.Second), prog, prog)
	case errors.As(err, &np):
		return fmt.Sprintf("The keychain is locked, and %s could not show an unlock prompt here. Unlock %s yourself, then try again.", prog, prog)
	case unlockShown:
		return fmt.Sprintf("The keychain is locked. Choose %s under the key and answer %s's unlock prompt within %s, or unlock %s yourself.", LabelUnlock, prog, keystore.KeychainTimeout, prog)
	}
	return fmt.Sprintf("The keychain is locked. Try again and answer %s's unlock prompt within %s, or unlock %s yourself.", prog, keystore.KeychainTimeout, prog)
}

// keychainProblem is a notification body for a keychain failure: what
// happened and what to do next, naming p, the keychain program in use,
// where the remedy is the program's own.
func keychainProblem(err error, p keystore.Provider) string {
	var te *keystore.TimeoutError
	switch {
	case errors.As(err, &te):
		return "The keychain did not answer in time; an unlock prompt may be waiting. Unlock your keyring, then try again."
	case errors.Is(err, keystore.ErrNoSessionBus):
		return "There is no D-Bus session bus, so no keychain: start anykey from your desktop session."
	case errors.Is(err, keystore.ErrNoSecretService):
		return "No Secret Service answers: install and start a keyring (Debian/Ubuntu: sudo apt install gnome-keyring), then log out and in."
	case errors.Is(err, keystore.ErrNoCollection):
		return noCollectionProblem(p)
	case errors.Is(err, keystore.ErrLocked) && p.Name == keystore.ProviderGNOMEKeyring:
		return "Your keyring is locked: unlock \"Login\" in Passwords and Keys (seahorse), then try again."
	case errors.Is(err, keystore.ErrLocked) && p.Name != "":
		return fmt.Sprintf("Your keychain is locked: unlock it in %s, then try again.", p.Name)
	case errors.Is(err, keystore.ErrLocked):
		return "Your keyring is locked: unlock it (GNOME Keyring, KeePassXC or KWallet), then try again."
	case errors.Is(err, keystore.ErrUnavailable) && p.Name != "":
		return fmt.Sprintf("The keychain is not available (%v). Check that %s, the keychain in use, runs and is unlocked, then try again.", err, p.Name)
	case errors.Is(err, keystore.ErrUnavailable):
		return fmt.Sprintf("The keychain is not available (%v). Start or unlock your keyring (e.g. GNOME Keyring, KeePassXC with its Secret Service integration on, or KWallet), then try again.", err)
	case errors.Is(err, keystore.ErrCorruptIndex):
		return fmt.Sprintf("%v. The file was left as it was; fix or move it, then try again.", err)
	}
	return err.Error()
}

// noCollectionProblem is the body for a Secret Service with no collection
// to save keys in ([keystore.ErrNoCollection]): how to make one in p.
func noCollectionProblem(p keystore.Provider) string {
	switch p.Name {
	case keystore.ProviderKWallet:
		return "KWallet has no wallet yet: create a wallet in KWallet (System Settings → KDE Wallet), then try again."
	case keystore.ProviderKeePassXC:
		return "KeePassXC exposes no database group over the Secret Service: choose one under Database → Database Settings → Secret Service Integration, then try again."
	case keystore.ProviderGNOMEKeyring:
		return "GNOME Keyring has no default keyring: create one in Passwords and Keys (seahorse), then try again."
	case "":
		return "Your keyring has nowhere to save keys: create a wallet in KWallet, a keyring in GNOME Keyring, or expose a database group in KeePassXC, then try again."
	}
	return fmt.Sprintf("%s has nowhere to save keys: create a default collection in it, then try again.", p.Name)
}
