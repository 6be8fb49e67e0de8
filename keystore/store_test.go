package keystore

import (
	"errors"
	"runtime"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/zalando/go-keyring"
)

func TestMemoryConformance(t *testing.T) {
	t.Parallel()
	runConformance(t, func(t *testing.T) harness {
		m := NewMemory()
		return harness{
			store:       m,
			dropSecret:  func(_ *testing.T, name string) { m.DropSecret(name) },
			failSecrets: m.FailSecrets,
			failIndex:   m.FailIndex,
			lock:        m.SetLocked,
		}
	})
}

// TestKeyringConformance runs the suite on the real Keyring code (index,
// locking, deadlines, error mapping) over an in-process keychain, so it
// runs everywhere.
func TestKeyringConformance(t *testing.T) {
	t.Parallel()
	runConformance(t, func(t *testing.T) harness {
		be := newMapBackend()
		h := keyringHarness(t, be, func(t *testing.T, name string) {
			if err := be.delete(service, name); err != nil {
				t.Fatal(err)
			}
		})
		h.lock = be.setLocked
		return h
	})
}

// TestSecretServiceConformance runs the suite against the OS keychain:
// go-keyring on the Secret Service of the desktop session (it skips
// without one and fails under CI), or on Windows the Credential Manager
// (under Wine in CI: the test prefix's own).
func TestSecretServiceConformance(t *testing.T) {
	requireOSKeychain(t)
	t.Parallel()
	runConformance(t, func(t *testing.T) harness {
		return keyringHarness(t, goKeyring{}, func(t *testing.T, name string) {
			if err := keyring.Delete(service, name); err != nil {
				t.Fatalf("dropping the secret behind the store's back: %v", err)
			}
		})
	})
}

func keyringHarness(t *testing.T, inner backend, drop func(*testing.T, string)) harness {
	fb := &faultBackend{inner: inner}
	k := testKeyring(t, fb)
	t.Cleanup(func() { cleanupSecrets(t, k) })
	return harness{
		store:       k,
		dropSecret:  drop,
		failSecrets: fb.fail,
		// Safe without a lock: the cases turn the knob between store
		// calls, never during one.
		failIndex: func(err error) { k.indexFault = err },
	}
}

// cleanupSecrets removes the secrets of every entry left in k's keys.json,
// so the shared keychain is left as found. (The cases delete or undo the
// secrets they store without an entry.)
func cleanupSecrets(t *testing.T, k *Keyring) {
	entries, _ := readIndex(k.IndexPath())
	for _, e := range entries {
		err := k.be.delete(service, e.Name)
		if err != nil && !errors.Is(err, keyring.ErrNotFound) && !errors.Is(err, errForced) {
			t.Logf("cleanup of %q: %v", e.Name, err)
		}
	}
}

// requireOSKeychain skips t (fails it under CI) unless the OS keychain is
// here: on Linux the Secret Service ([desktoptest.Require]); on Windows
// the Credential Manager, which every session has. (macOS's keychain
// raises access prompts for a new test binary: not run there.)
func requireOSKeychain(t testing.TB) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	desktoptest.Require(t, desktoptest.SecretService)
}
