package keystore

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestGetUnknownNameWithoutKeychain: when the keychain cannot answer, Get
// of a name keys.json does not list is ErrNotFound (`anykey get typo` must
// not blame the keyring), while a listed name keeps the keychain's error.
func TestGetUnknownNameWithoutKeychain(t *testing.T) {
	t.Parallel()
	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		k := testKeyring(t, newSlowBackend(t))
		k.timeout = 50 * time.Millisecond
		if err := writeIndex(k.dir, []Entry{testEntry("listed")}); err != nil {
			t.Fatal(err)
		}
		if _, err := k.Get(t.Context(), "typo"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(unknown) = %v, want ErrNotFound", err)
		}
		var te *TimeoutError
		if _, err := k.Get(t.Context(), "listed"); !errors.As(err, &te) {
			t.Errorf("Get(listed) = %v, want *TimeoutError", err)
		}
	})
	t.Run("unavailable", func(t *testing.T) {
		t.Parallel()
		fb := &faultBackend{inner: newMapBackend()}
		k := testKeyring(t, fb)
		if err := k.Set(t.Context(), testEntry("listed"), "s", false); err != nil {
			t.Fatal(err)
		}
		fb.fail(errForced)
		if _, err := k.Get(t.Context(), "typo"); !errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnavailable) {
			t.Errorf("Get(unknown) = %v, want ErrNotFound only", err)
		}
		_, err := k.Get(t.Context(), "listed")
		if !errors.Is(err, ErrUnavailable) || !errors.Is(err, errForced) {
			t.Errorf("Get(listed) = %v, want ErrUnavailable with the cause", err)
		}
	})
}

// deleteFailBackend refuses only deletions, so Delete gets past its
// keys.json write and must put the entry back.
type deleteFailBackend struct{ *mapBackend }

func (deleteFailBackend) delete(string, string) error { return errForced }

func TestDeleteRestoresIndexWhenKeychainRefuses(t *testing.T) {
	t.Parallel()
	be := deleteFailBackend{newMapBackend()}
	k := testKeyring(t, be)
	for _, n := range []string{"a", "b"} {
		if err := k.Set(t.Context(), testEntry(n), "secret-"+n, false); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := os.ReadFile(k.IndexPath())
	err := k.Delete(t.Context(), "a")
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, errForced) {
		t.Errorf("Delete = %v, want ErrUnavailable with the cause", err)
	}
	if after, _ := os.ReadFile(k.IndexPath()); !bytes.Equal(before, after) {
		t.Errorf("keys.json changed from\n%s\nto\n%s", before, after)
	}
	if s, err := k.Get(t.Context(), "a"); s != "secret-a" || err != nil {
		t.Errorf("Get = %q, %v; want the secret", s, err)
	}
}

// TestOldItemCacheRemoved: the path cache earlier builds kept beside
// keys.json goes with the next write, so no file holds keychain state.
func TestOldItemCacheRemoved(t *testing.T) {
	t.Parallel()
	k := testKeyring(t, newMapBackend())
	old := filepath.Join(k.dir, "keys.json.items")
	if err := os.WriteFile(old, []byte(`{"/org/freedesktop/secrets/collection/login/1":"ghost"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := k.Set(t.Context(), testEntry("work"), "s", false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("keys.json.items after a write: %v", err)
	}
}
