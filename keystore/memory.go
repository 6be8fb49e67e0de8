package keystore

import "context"

// Memory is an in-memory [Store] for tests of other packages. It is safe
// for concurrent use. Do not use it in production code.
type Memory struct{}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty store.
func NewMemory() *Memory { panic("skeleton") }

// FailSecrets makes every later keychain-side operation (Get/Set/Delete of a
// secret) fail with err; nil restores normal behaviour.
func (m *Memory) FailSecrets(err error) { panic("skeleton") }

// DropSecret deletes only the secret of name, as if removed from the keychain
// behind anykey's back.
func (m *Memory) DropSecret(name string) { panic("skeleton") }

func (m *Memory) List(ctx context.Context) ([]Entry, error)              { panic("skeleton") }
func (m *Memory) Lookup(ctx context.Context, name string) (Entry, error) { panic("skeleton") }
func (m *Memory) Get(ctx context.Context, name string) (string, error)   { panic("skeleton") }
func (m *Memory) Set(ctx context.Context, e Entry, secret string, overwrite bool) error {
	panic("skeleton")
}
func (m *Memory) Delete(ctx context.Context, name string) error { panic("skeleton") }
