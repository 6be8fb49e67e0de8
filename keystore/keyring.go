package keystore

import "context"

// Keyring is the real [Store]: go-keyring for secrets, keys.json in Dir for
// metadata (mode 0600, atomic writes, under a file lock).
type Keyring struct{}

var _ Store = (*Keyring)(nil)

// DefaultDir is os.UserConfigDir()/anykey (honours XDG_CONFIG_HOME).
func DefaultDir() (string, error) { panic("skeleton") }

// Open returns the keychain-backed store with its index in dir (created 0700
// on first write, not on Open).
func Open(dir string) (*Keyring, error) { panic("skeleton") }

// IndexPath is the path of keys.json (watched by the tray).
func (k *Keyring) IndexPath() string { panic("skeleton") }

func (k *Keyring) List(ctx context.Context) ([]Entry, error)              { panic("skeleton") }
func (k *Keyring) Lookup(ctx context.Context, name string) (Entry, error) { panic("skeleton") }
func (k *Keyring) Get(ctx context.Context, name string) (string, error)   { panic("skeleton") }
func (k *Keyring) Set(ctx context.Context, e Entry, secret string, overwrite bool) error {
	panic("skeleton")
}
func (k *Keyring) Delete(ctx context.Context, name string) error { panic("skeleton") }
