package cli

import (
	"context"
	"fmt"

	"github.com/anykey-app/anykey/keystore"
)

// provider says which program serves the keychain, when the store can
// tell (the real store asks the session bus; it never prompts).
func (c *cli) provider() keystore.Provider {
	if p, ok := c.st.(interface {
		Provider(context.Context) keystore.Provider
	}); ok {
		return p.Provider(c.ctx)
	}
	return keystore.Provider{}
}

// unlockHint says how to unlock the keychain p, naming the program in use:
// get, copy and exec raise its own unlock prompt and wait for it up to
// keystore.KeychainTimeout.
func unlockHint(p keystore.Provider) string {
	wait := fmt.Sprintf("anykey get, copy and exec raise %%s and wait up to %s for it", keystore.KeychainTimeout)
	switch p.Name {
	case keystore.ProviderGNOMEKeyring:
		return "unlock the login keyring: " + fmt.Sprintf(wait, "GNOME Keyring's unlock prompt") +
			", or unlock it in Passwords and Keys (seahorse)"
	case keystore.ProviderKeePassXC:
		return "unlock the database in KeePassXC: " + fmt.Sprintf(wait, "its unlock dialog")
	case keystore.ProviderKWallet:
		return "open the wallet in KWallet: " + fmt.Sprintf(wait, "its unlock prompt")
	case keystore.ProviderMacOS:
		return "unlock the login keychain: " + fmt.Sprintf(wait, "the Keychain prompt")
	case keystore.ProviderWindows: // it has no lock of its own
		return "check that Windows Credential Manager works (Control Panel → Credential Manager)"
	case "":
		return "unlock your keyring (GNOME Keyring, KeePassXC or KWallet): " + fmt.Sprintf(wait, "its unlock prompt")
	}
	return fmt.Sprintf("unlock %s, the keychain in use: ", p.Name) + fmt.Sprintf(wait, "its unlock prompt")
}

// noCollection says what is missing when the Secret Service has no
// collection to save keys in ([keystore.ErrNoCollection]), and the hint:
// how to make one in the program in use.
func noCollection(p keystore.Provider) (what, hint string) {
	switch p.Name {
	case keystore.ProviderKWallet:
		return "KWallet has no wallet yet",
			"create a wallet in KWallet (System Settings → KDE Wallet, or KWallet Manager: File → New Wallet), then try again"
	case keystore.ProviderKeePassXC:
		return "KeePassXC exposes no database group over the Secret Service",
			"in KeePassXC, open a database and choose a group under Database → Database Settings → Secret Service Integration, then try again"
	case keystore.ProviderGNOMEKeyring:
		return "GNOME Keyring has no default keyring",
			"create a keyring in Passwords and Keys (seahorse: + → Password keyring) and make it the default, then try again"
	case "":
		return keystore.ErrNoCollection.Error(),
			"create one in your keyring program (a wallet in KWallet, a keyring in GNOME Keyring, a database group exposed in KeePassXC), then try again"
	}
	return fmt.Sprintf("%s, the keychain in use, has no collection to save keys in", p.Name),
		fmt.Sprintf("create a default collection in %s, then try again", p.Name)
}

// keyringHint is the hint for a keychain that failed or did not answer:
// how to unlock the one in use, or, when none could be named, how to get
// one running.
func (c *cli) keyringHint() string {
	if p := c.provider(); p.Name != "" {
		return unlockHint(p) + "; then try again"
	}
	return hintKeyring
}

// deletedNote says where a removed key still is when the provider keeps
// deleted items (KeePassXC's Recycle Bin), as a message and a hint; both
// are "" otherwise.
func deletedNote(p keystore.Provider, name string) (msg, hint string) {
	if !p.KeepsDeleted {
		return "", ""
	}
	if p.Name == keystore.ProviderKeePassXC {
		return fmt.Sprintf("removed key %q from anykey, but KeePassXC moved its entry to the database's Recycle Bin: the key is still stored there", name),
			"to erase it, empty the Recycle Bin in KeePassXC (right-click \"Recycle Bin\" → Empty recycle bin)"
	}
	return fmt.Sprintf("removed key %q from anykey, but %s keeps deleted items: the key is still stored there", name, p.Name),
		fmt.Sprintf("to erase it, empty the deleted items in %s", p.Name)
}
