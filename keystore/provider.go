package keystore

import (
	"context"
	"time"
)

// Provider is the program that serves the keychain, as far as anykey can
// tell. The zero value means unknown.
type Provider struct {
	// Name is how users know the program: one of the Provider* names, the
	// process name of another Secret Service, or "" when unknown.
	Name string
	// KeepsDeleted is set when deleting an item moves it to the
	// provider's recycle bin instead of erasing it: KeePassXC does that
	// whenever the database has its Recycle Bin on, the default.
	KeepsDeleted bool
}

// Names of the providers anykey knows by name.
const (
	ProviderGNOMEKeyring = "GNOME Keyring"
	ProviderKeePassXC    = "KeePassXC"
	ProviderKWallet      = "KWallet"
	ProviderMacOS        = "macOS Keychain"
	ProviderWindows      = "Windows Credential Manager"
)

// providerTimeout bounds finding the provider: two bus calls and a file
// read that never prompt, asked only to word a message.
const providerTimeout = 2 * time.Second

// Provider says which program serves the keychain (on Linux: which process
// owns the Secret Service's bus name). It never prompts and gives up after
// 2 s; any failure is the zero Provider.
func (k *Keyring) Provider(ctx context.Context) Provider {
	p, err := call(ctx, providerTimeout, "provider", platformProvider)
	if err != nil {
		return Provider{}
	}
	return p
}

// Locked reports whether the collection keys are saved to is locked, as
// far as the provider tells without a prompt: for KWallet that is
// kwalletd's own isOpen, not the collection's Locked flag, which says
// locked after a login though no prompt is needed (Linux; see
// keystore/kwallet_linux.go). Other systems answer false. It gives up
// after 2 s.
func (k *Keyring) Locked(ctx context.Context) (bool, error) {
	return call(ctx, providerTimeout, "lock check", k.be.locked)
}
