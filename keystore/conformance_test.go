package keystore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// harness is one Store plus the knobs the conformance suite needs to
// simulate what happens behind the store's back.
type harness struct {
	store Store
	// dropSecret removes only the keychain secret of name.
	dropSecret func(t *testing.T, name string)
	// failSecrets makes keychain operations fail with err (nil: normal).
	failSecrets func(err error)
	// failIndex makes metadata writes fail with err (nil: normal).
	failIndex func(err error)
	// lock locks (true) or unlocks the keychain, its unlock prompt
	// dismissed; nil where the keychain cannot be locked for one case
	// alone (the real one is shared: locking is tested on a private one).
	lock func(locked bool)
}

var errForced = errors.New("forced backend failure")

// runConformance is the one contract test for every Store. newHarness is
// called once per case; names are unique per case because the real
// keychain is shared.
func runConformance(t *testing.T, newHarness func(t *testing.T) harness) {
	entry := func(name string) Entry {
		return Entry{
			Name:       name,
			APIURL:     "http://127.0.0.1:31009",
			CreatedAt:  time.Date(2026, 5, 20, 10, 30, 0, 0, time.UTC),
			APIVersion: "2025-11-08",
			Grant:      json.RawMessage(`{"scope":"full"}`),
		}
	}
	ctx := func(t *testing.T) context.Context { return t.Context() }

	t.Run("SameName", func(t *testing.T) { sameNameConformance(t, newHarness) })

	t.Run("RoundTrip", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		name, secret := uniqueName(t, "rt"), uniqueName(t, "secret")
		want := entry(name)
		if err := h.store.Set(ctx(t), want, secret, false); err != nil {
			t.Fatalf("Set: %v", err)
		}
		got, err := h.store.Get(ctx(t), name)
		if err != nil || got != secret {
			t.Fatalf("Get = %q, %v; want the secret", got, err)
		}
		e, err := h.store.Lookup(ctx(t), name)
		if err != nil {
			t.Fatalf("Lookup: %v", err)
		}
		if e.Name != want.Name || e.APIURL != want.APIURL || !e.CreatedAt.Equal(want.CreatedAt) ||
			e.APIVersion != want.APIVersion || !bytes.Equal(e.Grant, want.Grant) || e.Missing {
			t.Errorf("Lookup = %+v, want %+v", e, want)
		}
		list, err := h.store.List(ctx(t))
		if err != nil || len(list) != 1 || list[0].Name != name || list[0].Missing {
			t.Errorf("List = %+v, %v; want just %q, not missing", list, err, name)
		}
	})

	t.Run("Overwrite", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		name := uniqueName(t, "ow")
		if err := h.store.Set(ctx(t), entry(name), "first", false); err != nil {
			t.Fatal(err)
		}
		e2 := entry(name)
		e2.APIURL = "http://127.0.0.1:31012"
		if err := h.store.Set(ctx(t), e2, "second", false); !errors.Is(err, ErrExists) {
			t.Fatalf("Set without overwrite = %v, want ErrExists", err)
		}
		if got, _ := h.store.Get(ctx(t), name); got != "first" {
			t.Fatalf("after refused Set, Get = %q, want first", got)
		}
		if err := h.store.Set(ctx(t), e2, "second", true); err != nil {
			t.Fatalf("Set with overwrite: %v", err)
		}
		got, err := h.store.Get(ctx(t), name)
		e, lerr := h.store.Lookup(ctx(t), name)
		if err != nil || got != "second" || lerr != nil || e.APIURL != e2.APIURL {
			t.Errorf("after overwrite: Get = %q, %v; Lookup = %+v, %v", got, err, e, lerr)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		name := uniqueName(t, "nf")
		if _, err := h.store.Get(ctx(t), name); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get = %v, want ErrNotFound", err)
		}
		if _, err := h.store.Lookup(ctx(t), name); !errors.Is(err, ErrNotFound) {
			t.Errorf("Lookup = %v, want ErrNotFound", err)
		}
		if err := h.store.Delete(ctx(t), name); !errors.Is(err, ErrNotFound) {
			t.Errorf("Delete = %v, want ErrNotFound", err)
		}
		if list, err := h.store.List(ctx(t)); err != nil || len(list) != 0 {
			t.Errorf("List = %v, %v; want empty", list, err)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		name := uniqueName(t, "del")
		if err := h.store.Set(ctx(t), entry(name), "s", false); err != nil {
			t.Fatal(err)
		}
		if err := h.store.Delete(ctx(t), name); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := h.store.Get(ctx(t), name); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get after Delete = %v, want ErrNotFound", err)
		}
		if err := h.store.Delete(ctx(t), name); !errors.Is(err, ErrNotFound) {
			t.Errorf("second Delete = %v, want ErrNotFound", err)
		}
	})

	t.Run("MissingSecretIsShownNotDropped", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		kept, gone := uniqueName(t, "a-kept"), uniqueName(t, "b-gone")
		for _, n := range []string{kept, gone} {
			if err := h.store.Set(ctx(t), entry(n), "s-"+n, false); err != nil {
				t.Fatal(err)
			}
		}
		h.dropSecret(t, gone)
		list, err := h.store.List(ctx(t))
		if err != nil || len(list) != 2 {
			t.Fatalf("List = %+v, %v; want both entries", list, err)
		}
		if list[0].Name != kept || list[0].Missing || list[1].Name != gone || !list[1].Missing {
			t.Errorf("List = %+v; want %q present and %q missing", list, kept, gone)
		}
		if e, err := h.store.Lookup(ctx(t), gone); err != nil || !e.Missing {
			t.Errorf("Lookup = %+v, %v; want Missing", e, err)
		}
		if _, err := h.store.Get(ctx(t), gone); !errors.Is(err, ErrSecretMissing) {
			t.Errorf("Get = %v, want ErrSecretMissing", err)
		}
		if err := h.store.Delete(ctx(t), gone); err != nil {
			t.Errorf("Delete of an entry without secret = %v, want nil", err)
		}
		if _, err := h.store.Lookup(ctx(t), gone); !errors.Is(err, ErrNotFound) {
			t.Errorf("Lookup after Delete = %v, want ErrNotFound", err)
		}
	})

	t.Run("SortedByName", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		base := uniqueName(t, "sort")
		for _, s := range []string{"c", "a", "b"} {
			if err := h.store.Set(ctx(t), entry(base+s), "x", false); err != nil {
				t.Fatal(err)
			}
		}
		list, err := h.store.List(ctx(t))
		var got []string
		for _, e := range list {
			got = append(got, strings.TrimPrefix(e.Name, base))
		}
		if err != nil || strings.Join(got, ",") != "a,b,c" {
			t.Errorf("List order = %v, %v; want a,b,c", got, err)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		name := uniqueName(t, "inv")
		noURL := entry(name)
		noURL.APIURL = ""
		badGrant := entry(name)
		badGrant.Grant = json.RawMessage(`{`)
		sec := uniqueName(t, "distinct-secret")
		for _, tc := range []struct {
			desc   string
			e      Entry
			secret string
			want   error
		}{
			{"slash in name", entry("a/b"), sec, ErrInvalidName},
			{"empty name", entry(""), sec, ErrInvalidName},
			{"empty secret", entry(name), "", ErrInvalidEntry},
			{"multi-line secret", entry(name), sec + "\n" + sec, ErrInvalidEntry},
			{"no API URL", noURL, sec, ErrInvalidEntry},
			{"bad grant", badGrant, sec, ErrInvalidEntry},
		} {
			err := h.store.Set(ctx(t), tc.e, tc.secret, false)
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: Set = %v, want %v", tc.desc, err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), sec) {
				t.Errorf("%s: error %q contains the secret", tc.desc, err)
			}
		}
		if _, err := h.store.Get(ctx(t), " lead"); !errors.Is(err, ErrInvalidName) {
			t.Errorf("Get(bad name) = %v, want ErrInvalidName", err)
		}
		if list, _ := h.store.List(ctx(t)); len(list) != 0 {
			t.Errorf("invalid Sets left %+v", list)
		}
	})

	t.Run("KeychainFailure", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		listed, refused := uniqueName(t, "kf-a"), uniqueName(t, "kf-b")
		if err := h.store.Set(ctx(t), entry(listed), "s", false); err != nil {
			t.Fatal(err)
		}
		secret := uniqueName(t, "never-shown")
		h.failSecrets(errForced)
		err := h.store.Set(ctx(t), entry(refused), secret, false)
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("Set while failing = %v; want an error without the secret", err)
		}
		if _, err := h.store.Get(ctx(t), listed); err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("Get of a listed key while failing = %v; want the keychain's error", err)
		}
		// The name is unknown whatever the keychain would answer.
		if _, err := h.store.Get(ctx(t), refused); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get of an unknown name while failing = %v, want ErrNotFound", err)
		}
		list, err := h.store.List(ctx(t))
		if !errors.Is(err, ErrUnavailable) || len(list) != 1 || list[0].Name != listed {
			t.Errorf("List while failing = %+v, %v; want the entry and ErrUnavailable", list, err)
		}
		h.failSecrets(nil)
		if _, err := h.store.Lookup(ctx(t), refused); !errors.Is(err, ErrNotFound) {
			t.Errorf("refused Set left metadata behind: Lookup = %v", err)
		}
	})

	t.Run("IndexFailureUndoesSecret", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		fresh, old := uniqueName(t, "if-new"), uniqueName(t, "if-old")
		if err := h.store.Set(ctx(t), entry(old), "old-secret", false); err != nil {
			t.Fatal(err)
		}
		h.failIndex(errForced)
		if err := h.store.Set(ctx(t), entry(fresh), "new-secret", false); !errors.Is(err, errForced) {
			t.Errorf("Set with failing index = %v, want the index error", err)
		}
		if err := h.store.Set(ctx(t), entry(old), "replacement", true); !errors.Is(err, errForced) {
			t.Errorf("overwrite with failing index = %v, want the index error", err)
		}
		h.failIndex(nil)
		if _, err := h.store.Get(ctx(t), fresh); !errors.Is(err, ErrNotFound) {
			t.Errorf("new secret not undone: Get = %v, want ErrNotFound", err)
		}
		if got, err := h.store.Get(ctx(t), old); got != "old-secret" || err != nil {
			t.Errorf("old secret not restored: Get = %q, %v", got, err)
		}
	})

	// A Delete that fails half way must leave the key whole: listed and
	// with its secret (a read-only config dir, a keychain that refuses).
	for _, tc := range []struct {
		name string
		fail func(h harness, err error)
	}{
		{"IndexFailureKeepsKeyOnDelete", func(h harness, err error) { h.failIndex(err) }},
		{"KeychainFailureKeepsKeyOnDelete", func(h harness, err error) { h.failSecrets(err) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			name, secret := uniqueName(t, "dk"), uniqueName(t, "secret")
			if err := h.store.Set(ctx(t), entry(name), secret, false); err != nil {
				t.Fatal(err)
			}
			tc.fail(h, errForced)
			if err := h.store.Delete(ctx(t), name); err == nil {
				t.Error("Delete while failing = nil error")
			}
			tc.fail(h, nil)
			if got, err := h.store.Get(ctx(t), name); got != secret || err != nil {
				t.Errorf("Get after the failed Delete = %q, %v; want the secret", got, err)
			}
			if e, err := h.store.Lookup(ctx(t), name); err != nil || e.Missing {
				t.Errorf("Lookup after the failed Delete = %+v, %v; want the entry, not missing", e, err)
			}
		})
	}

	t.Run("Locked", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		if h.lock == nil {
			t.Skip("this keychain is shared; see TestLockedSecretService")
		}
		kept, gone, fresh := uniqueName(t, "lk-a"), uniqueName(t, "lk-b"), uniqueName(t, "lk-c")
		for _, n := range []string{kept, gone} {
			if err := h.store.Set(ctx(t), entry(n), "s-"+n, false); err != nil {
				t.Fatal(err)
			}
		}
		h.dropSecret(t, gone)
		h.lock(true)
		list, err := h.store.List(ctx(t))
		if err != nil || len(list) != 2 || list[0].State() != StateLocked || list[1].State() != StateMissing {
			t.Errorf("List while locked = %+v, %v; want %q locked, %q missing", list, err, kept, gone)
		}
		if e, err := h.store.Lookup(ctx(t), kept); err != nil || !e.Locked || e.Missing {
			t.Errorf("Lookup while locked = %+v, %v; want Locked", e, err)
		}
		_, err = h.store.Get(ctx(t), kept)
		if !errors.Is(err, ErrLocked) || !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrSecretMissing) {
			t.Errorf("Get while locked = %v; want ErrLocked (and ErrUnavailable)", err)
		}
		if _, err := h.store.Get(ctx(t), fresh); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get of an unknown name while locked = %v, want ErrNotFound", err)
		}
		if err := h.store.Delete(ctx(t), kept); !errors.Is(err, ErrLocked) {
			t.Errorf("Delete while locked = %v, want ErrLocked", err)
		}
		if err := h.store.Set(ctx(t), entry(fresh), "s", false); !errors.Is(err, ErrLocked) {
			t.Errorf("Set while locked = %v, want ErrLocked", err)
		}
		h.lock(false)
		list, err = h.store.List(ctx(t))
		if err != nil || len(list) != 2 || list[0].State() != StatePresent || list[1].State() != StateMissing {
			t.Errorf("List after unlocking = %+v, %v; want %q present (the failed Delete kept it), %q missing", list, err, kept, gone)
		}
		if got, err := h.store.Get(ctx(t), kept); err != nil || got != "s-"+kept {
			t.Errorf("Get after unlocking = %q, %v", got, err)
		}
	})

	t.Run("ConcurrentSet", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		const n = 20
		base := uniqueName(t, "cc")
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				name := fmt.Sprintf("%s-%02d", base, i)
				errs <- h.store.Set(ctx(t), entry(name), "s"+name, false)
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("Set: %v", err)
			}
		}
		list, err := h.store.List(ctx(t))
		if err != nil || len(list) != n {
			t.Fatalf("List has %d entries, %v; want %d", len(list), err, n)
		}
		for _, e := range list {
			if e.Missing {
				t.Errorf("%s missing", e.Name)
			}
		}
	})
}
