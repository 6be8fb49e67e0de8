package keystore

import (
	"context"
	"fmt"
	"sync"
)

// Memory is an in-memory [Store] for tests of other packages. It is safe
// for concurrent use. Do not use it in production code.
//
// It follows the same contract as [Keyring], checked by the same
// conformance tests: validation, ErrExists, ErrNotFound, ErrSecretMissing,
// Missing and Locked in List/Lookup, ErrLocked, and the undo of a
// half-done Set or Delete.
type Memory struct {
	mu         sync.Mutex
	entries    map[string]Entry
	secrets    map[string]string
	failErr    error
	indexFault error
	locked     bool
	provider   Provider
	readyErr   error
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty store.
func NewMemory() *Memory {
	return &Memory{entries: map[string]Entry{}, secrets: map[string]string{}}
}

// FailSecrets makes every later keychain-side operation (Get/Set/Delete of a
// secret) fail with err; nil restores normal behaviour. List and Lookup then
// return the entries together with an error wrapping err and
// [ErrUnavailable], as [Keyring] does when the keychain cannot be asked.
func (m *Memory) FailSecrets(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failErr = err
}

// FailIndex makes every later metadata write fail with err (as a full disk
// or read-only config dir would); nil restores normal behaviour.
func (m *Memory) FailIndex(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.indexFault = err
}

// SetLocked locks (true) or unlocks (false) the simulated keychain. While it is
// locked, List and Lookup mark every entry whose secret is there Locked,
// and Get, Set and Delete of a secret fail with [ErrLocked], as [Keyring]
// does when the keychain's unlock prompt is dismissed.
func (m *Memory) SetLocked(locked bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.locked = locked
}

// SetProvider sets what [Memory.Provider] answers.
func (m *Memory) SetProvider(p Provider) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.provider = p
}

// Provider is the Provider last given to SetProvider (zero: unknown).
func (m *Memory) Provider(context.Context) Provider {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.provider
}

// keychainErr is the error a secret operation meets, or nil.
func (m *Memory) keychainErr() error {
	if m.failErr != nil {
		return m.failErr
	}
	if m.locked {
		return lockedError{err: unavailable{"keychain unlock: ", errMemoryLocked}}
	}
	return nil
}

// errMemoryLocked is the cause of a locked Memory's errors.
var errMemoryLocked = fmt.Errorf("%w (simulated)", ErrLocked)

// DropSecret deletes only the secret of name, as if removed from the keychain
// behind anykey's back.
func (m *Memory) DropSecret(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.secrets, name)
}

// List returns every entry sorted by name, Missing set where the secret is
// gone, Locked where it is there and the store is locked.
func (m *Memory) List(ctx context.Context) ([]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Entry, 0, len(m.entries))
	for _, e := range m.entries {
		out = append(out, e)
	}
	sortEntries(out)
	return out, m.markStates(out)
}

// Lookup returns one entry, Missing and Locked set as in [Memory.List].
func (m *Memory) Lookup(ctx context.Context, name string) (Entry, error) {
	if err := ValidateName(name); err != nil {
		return Entry{}, err
	}
	if err := ctx.Err(); err != nil {
		return Entry{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[m.resolve(name)]
	if !ok {
		return Entry{}, fmt.Errorf("%w: %q", ErrNotFound, name)
	}
	one := []Entry{e}
	err := m.markStates(one)
	return one[0], err
}

func (m *Memory) markStates(es []Entry) error {
	if len(es) == 0 {
		return nil
	}
	if m.failErr != nil {
		return fmt.Errorf("checking which keys are still in the keychain: %w", unavailable{err: m.failErr})
	}
	for i := range es {
		_, ok := m.secrets[es[i].Name]
		es[i].Missing = !ok
		es[i].Locked = ok && m.locked
	}
	return nil
}

// Get returns the secret, or ErrNotFound / ErrSecretMissing.
func (m *Memory) Get(ctx context.Context, name string) (string, error) {
	if err := ValidateName(name); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.keychainErr(); err != nil {
		if _, ok := m.entries[name]; !ok {
			return "", fmt.Errorf("%w: %q", ErrNotFound, name) // as Keyring: unknown either way
		}
		return "", fmt.Errorf("reading key %q: %w", name, err)
	}
	name = m.resolve(name)
	if s, ok := m.secrets[name]; ok {
		return s, nil
	}
	if _, ok := m.entries[name]; ok {
		return "", fmt.Errorf("key %q: %w", name, ErrSecretMissing)
	}
	return "", fmt.Errorf("%w: %q", ErrNotFound, name)
}

// Set saves secret then metadata; see [Store].
func (m *Memory) Set(ctx context.Context, e Entry, secret string, overwrite bool) error {
	e, err := checkEntry(e, secret)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e.Name = m.resolve(e.Name) // replacing keeps the saved spelling
	if _, ok := m.entries[e.Name]; ok && !overwrite {
		return fmt.Errorf("key %q: %w", e.Name, ErrExists)
	}
	if err := m.keychainErr(); err != nil {
		return fmt.Errorf("saving key %q: %w", e.Name, err)
	}
	if m.indexFault != nil {
		// Secret and index change together here, so failing before
		// either is the same end state as Keyring's undo.
		return fmt.Errorf("saving key %q: %w", e.Name, m.indexFault)
	}
	m.secrets[e.Name] = secret
	m.entries[e.Name] = e
	return nil
}

// Delete removes secret and metadata; ErrNotFound if neither exists.
func (m *Memory) Delete(ctx context.Context, name string) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.keychainErr(); err != nil {
		return fmt.Errorf("removing key %q: %w", name, err)
	}
	name = m.resolve(name)
	_, hadSecret := m.secrets[name]
	_, hadEntry := m.entries[name]
	if hadEntry && m.indexFault != nil {
		// Keyring writes keys.json first, so nothing is removed.
		return fmt.Errorf("removing key %q: %w", name, m.indexFault)
	}
	delete(m.secrets, name)
	delete(m.entries, name)
	if !hadSecret && !hadEntry {
		return fmt.Errorf("%w: %q", ErrNotFound, name)
	}
	return nil
}

// resolve returns the saved spelling of name, as [findEntry] picks it for
// [Keyring]: the exact name if saved, else the entry that is the same name
// by [SameName], else name itself. The caller holds m.mu.
func (m *Memory) resolve(name string) string {
	if _, ok := m.entries[name]; ok {
		return name
	}
	if _, ok := m.secrets[name]; ok {
		return name
	}
	es := make([]Entry, 0, len(m.entries))
	for _, e := range m.entries {
		es = append(es, e)
	}
	if i := findEntry(es, name); i >= 0 {
		return es[i].Name
	}
	return name
}
