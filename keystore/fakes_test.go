package keystore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// mapBackend is an in-process keychain for Keyring tests that need no
// desktop session. It answers like go-keyring: keyring.ErrNotFound for a
// missing secret.
type mapBackend struct {
	mu       sync.Mutex
	m        map[string]string
	isLocked bool // as a locked keychain whose unlock prompt is dismissed
}

// errMapLocked is what go-keyring returns when its unlock fails.
var errMapLocked = errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")

func (b *mapBackend) setLocked(locked bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.isLocked = locked
}

func newMapBackend() *mapBackend { return &mapBackend{m: map[string]string{}} }

func (b *mapBackend) get(service, user string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.isLocked {
		return "", errMapLocked
	}
	s, ok := b.m[service+"\x00"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return s, nil
}

func (b *mapBackend) set(service, user, secret string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.isLocked {
		return errMapLocked
	}
	b.m[service+"\x00"+user] = secret
	return nil
}

func (b *mapBackend) delete(service, user string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.isLocked {
		return errMapLocked
	}
	k := service + "\x00" + user
	if _, ok := b.m[k]; !ok {
		return keyring.ErrNotFound
	}
	delete(b.m, k)
	return nil
}

func (b *mapBackend) states(_ context.Context, service string, names []string) (map[string]SecretState, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string]SecretState{}
	for _, n := range names {
		if _, ok := b.m[service+"\x00"+n]; ok {
			out[n] = StatePresent
			if b.isLocked {
				out[n] = StateLocked
			}
		}
	}
	return out, nil
}

func (b *mapBackend) locked(context.Context) (bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.isLocked, nil
}

func (b *mapBackend) len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.m)
}

// faultBackend wraps a backend and fails every call with err while err is
// set (FailSecrets for Keyring).
type faultBackend struct {
	inner backend
	mu    sync.Mutex
	err   error
}

func (f *faultBackend) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *faultBackend) check() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

func (f *faultBackend) get(s, u string) (string, error) {
	if err := f.check(); err != nil {
		return "", err
	}
	return f.inner.get(s, u)
}

func (f *faultBackend) set(s, u, p string) error {
	if err := f.check(); err != nil {
		return err
	}
	return f.inner.set(s, u, p)
}

func (f *faultBackend) delete(s, u string) error {
	if err := f.check(); err != nil {
		return err
	}
	return f.inner.delete(s, u)
}

func (f *faultBackend) states(ctx context.Context, s string, names []string) (map[string]SecretState, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	return f.inner.states(ctx, s, names)
}

func (f *faultBackend) locked(ctx context.Context) (bool, error) {
	if err := f.check(); err != nil {
		return false, err
	}
	return f.inner.locked(ctx)
}

// slowBackend never answers until release is closed, like go-keyring
// waiting on an unlock prompt nobody answers.
type slowBackend struct{ release chan struct{} }

func newSlowBackend(t *testing.T) *slowBackend {
	b := &slowBackend{release: make(chan struct{})}
	t.Cleanup(func() { close(b.release) })
	return b
}

func (b *slowBackend) wait() { <-b.release }
func (b *slowBackend) get(string, string) (string, error) {
	b.wait()
	return "", keyring.ErrNotFound
}
func (b *slowBackend) set(string, string, string) error { b.wait(); return nil }
func (b *slowBackend) delete(string, string) error      { b.wait(); return nil }
func (b *slowBackend) states(context.Context, string, []string) (map[string]SecretState, error) {
	b.wait()
	return nil, nil
}
func (b *slowBackend) locked(context.Context) (bool, error) { b.wait(); return false, nil }

// uniqueName returns base plus a random suffix: the real keychain is shared
// by every test package running in parallel.
func uniqueName(t testing.TB, base string) string {
	t.Helper()
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return base + "-" + hex.EncodeToString(b[:])
}

// testKeyring returns a Keyring in a fresh temp dir over be.
func testKeyring(t testing.TB, be backend) *Keyring {
	t.Helper()
	return &Keyring{dir: t.TempDir(), be: be, timeout: 5 * time.Second}
}
