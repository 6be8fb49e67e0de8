package keystore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/anykey-app/anykey/internal/safefile"
)

// Keyring is the real [Store]: go-keyring for secrets, keys.json in Dir for
// metadata (mode 0600, atomic writes, under a file lock).
//
// Writers (Set, Delete) take a lock on keys.json.lock and re-read keys.json
// under it, so the tray and any number of CLI processes can save keys at
// the same time without losing an entry. Readers take no lock.
type Keyring struct {
	dir     string
	be      backend
	timeout time.Duration // per keychain call; tests shorten it
	// indexFault, when set, makes index writes fail (tests of the undo path).
	indexFault error
}

var _ Store = (*Keyring)(nil)

// EnvDir names the variable that points anykey at another config
// directory. MCP client entries set it when the directory is not the one
// found from HOME alone, since clients start servers without
// XDG_CONFIG_HOME.
const EnvDir = "ANYKEY_CONFIG_DIR"

// DefaultDir is $ANYKEY_CONFIG_DIR when it is an absolute path, else
// os.UserConfigDir()/anykey (honours XDG_CONFIG_HOME).
func DefaultDir() (string, error) {
	if d := os.Getenv(EnvDir); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config dir: %w", err)
	}
	return filepath.Join(base, "anykey"), nil
}

// Open returns the keychain-backed store with its index in dir (created 0700
// on first write, not on Open). An empty dir means [DefaultDir].
func Open(dir string) (*Keyring, error) {
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("opening key store: %w", err)
	}
	return &Keyring{dir: abs, be: goKeyring{}, timeout: KeychainTimeout}, nil
}

// IndexPath is the path of keys.json (watched by the tray).
func (k *Keyring) IndexPath() string { return filepath.Join(k.dir, indexName) }

// List returns every entry sorted by name, with Missing set where the
// secret is gone from the keychain and Locked where it is in a locked
// keychain (see [Entry]). Finding out never raises an unlock prompt.
//
// If keys.json is readable but the keychain cannot be asked (unavailable,
// timed out), List returns the entries, all with Missing and Locked false,
// together with an error wrapping [ErrUnavailable] (and *[TimeoutError] for a
// timeout), so a caller can still show the names plus a warning. A damaged
// keys.json returns no entries and an error wrapping [ErrCorruptIndex].
func (k *Keyring) List(ctx context.Context) ([]Entry, error) {
	entries, err := readIndex(k.IndexPath())
	if err != nil {
		return nil, fmt.Errorf("listing keys: %w", err)
	}
	return entries, k.markStates(ctx, entries)
}

// Lookup returns one entry's metadata with Missing and Locked set as in [Keyring.List],
// including List's entry-plus-[ErrUnavailable] answer when the keychain
// cannot be asked.
func (k *Keyring) Lookup(ctx context.Context, name string) (Entry, error) {
	if err := ValidateName(name); err != nil {
		return Entry{}, err
	}
	entries, err := readIndex(k.IndexPath())
	if err != nil {
		return Entry{}, fmt.Errorf("looking up key %q: %w", name, err)
	}
	i := findEntry(entries, name)
	if i < 0 {
		return Entry{}, fmt.Errorf("%w: %q", ErrNotFound, name)
	}
	if err := badEntry(entries, name); err != nil {
		return entries[i], err
	}
	one := entries[i : i+1]
	err = k.markStates(ctx, one)
	return one[0], err
}

// markStates sets Missing and Locked on entries from one question to the
// keychain.
func (k *Keyring) markStates(ctx context.Context, entries []Entry) error {
	if len(entries) == 0 {
		return nil
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name
	}
	states, err := call(ctx, k.timeout, "search", func(ctx context.Context) (map[string]SecretState, error) {
		return k.be.states(ctx, service, names)
	})
	if err != nil {
		err = mapError("search", err, "")
		if !errors.Is(err, ErrUnavailable) {
			err = unavailable{err: err} // a timeout: its text says so
		}
		return fmt.Errorf("checking which keys are still in the keychain: %w", err)
	}
	for i := range entries {
		st := states[entries[i].Name]
		entries[i].Missing = st != StatePresent && st != StateLocked
		entries[i].Locked = st == StateLocked
	}
	return nil
}

// Get returns the secret with a single keychain lookup; keys.json is read
// only when that lookup fails, to tell [ErrNotFound] from
// [ErrSecretMissing] when the keychain has nothing, and to answer
// [ErrNotFound] for a name keys.json does not know when the keychain
// cannot be asked (the name is unknown whatever the keychain would say).
// (`anykey get` must stay near a bare go-keyring Get.)
func (k *Keyring) Get(ctx context.Context, name string) (string, error) {
	if err := ValidateName(name); err != nil {
		return "", err
	}
	secret, err := k.getSecret(ctx, name)
	if err == nil {
		// An entry keys.json marks bad is not handed out, even by get: its
		// api_url may point a tool at someone else. A keys.json that cannot
		// be read at all does not hold the key back (nothing in it is used),
		// except one another user owns: they wrote what it says.
		entries, ierr := readIndex(k.IndexPath())
		if errors.Is(ierr, safefile.ErrNotOwned) {
			return "", ierr
		}
		if ierr == nil {
			if berr := badEntry(entries, name); berr != nil {
				return "", berr
			}
		}
		return secret, nil
	}
	var te *TimeoutError
	if !errors.Is(err, ErrNotFound) {
		if errors.Is(err, ErrUnavailable) || errors.As(err, &te) {
			if entries, ierr := readIndex(k.IndexPath()); ierr == nil && findEntry(entries, name) < 0 {
				return "", fmt.Errorf("%w: %q", ErrNotFound, name)
			}
		}
		return "", fmt.Errorf("reading key %q: %w", name, err)
	}
	entries, ierr := readIndex(k.IndexPath())
	i := -1
	if ierr == nil {
		i = findEntry(entries, name)
	}
	if i >= 0 && entries[i].Name != name {
		// The same name spelt another way ("work" for "Work"): the
		// keychain holds it under the saved spelling.
		return k.Get(ctx, entries[i].Name)
	}
	switch {
	case ierr != nil:
		return "", fmt.Errorf("%w: %q (and %w)", ErrNotFound, name, ierr)
	case i >= 0:
		return "", fmt.Errorf("key %q: %w (remove it with rm and pair again)", name, ErrSecretMissing)
	}
	return "", fmt.Errorf("%w: %q", ErrNotFound, name)
}

// Set saves secret then metadata, under the writer lock. With overwrite
// false a name already in keys.json is [ErrExists]. If keys.json cannot be
// written the keychain is put back as it was (the old secret restored, or
// the new one deleted), so nothing is half-written. A damaged keys.json is
// refused before the keychain is touched.
func (k *Keyring) Set(ctx context.Context, e Entry, secret string, overwrite bool) error {
	e, err := checkEntry(e, secret)
	if err != nil {
		return err
	}
	return k.locked(ctx, fmt.Sprintf("saving key %q", e.Name), func() error {
		entries, err := readIndex(k.IndexPath())
		if err != nil {
			return fmt.Errorf("saving key %q: %w", e.Name, err)
		}
		i := findEntry(entries, e.Name)
		if i >= 0 && !overwrite {
			return fmt.Errorf("key %q: %w", entries[i].Name, ErrExists)
		}
		if i >= 0 {
			e.Name = entries[i].Name // replacing keeps the saved spelling
		}
		var old string
		hadOld := false
		if i >= 0 {
			// Read the secret being replaced so a failed index write can
			// put it back rather than leave the entry without a secret.
			switch s, err := k.getSecret(ctx, e.Name); {
			case err == nil:
				old, hadOld = s, true
			case !errors.Is(err, ErrNotFound):
				return fmt.Errorf("saving key %q: %w", e.Name, err)
			}
		}
		// Replace every entry of that name: keys.json may list one twice.
		entries = append(slices.DeleteFunc(slices.Clone(entries), func(o Entry) bool { return o.Name == e.Name }), e)
		if err := k.setSecret(ctx, e.Name, secret); err != nil {
			return fmt.Errorf("saving key %q: %w", e.Name, err)
		}
		werr := k.writeIndex(entries)
		if werr == nil {
			return nil
		}
		// The caller may have given up already; the undo must still run.
		undoCtx := context.WithoutCancel(ctx)
		var uerr error
		if hadOld {
			uerr = k.setSecret(undoCtx, e.Name, old)
		} else if uerr = k.deleteSecret(undoCtx, e.Name); errors.Is(uerr, ErrNotFound) {
			uerr = nil
		}
		if uerr != nil {
			return fmt.Errorf("saving key %q: %w (undoing the keychain write failed too: %w)", e.Name, werr, uerr)
		}
		return fmt.Errorf("saving key %q: %w", e.Name, werr)
	})
}

// Delete removes the metadata, then the secret; [ErrNotFound] if neither
// exists. A damaged keys.json is refused before the keychain is touched.
//
// The order is chosen so a failure loses nothing. keys.json is written
// first: if it cannot be (read-only config dir, full disk) the keychain is
// not touched and the key stays whole. If deleting the secret then fails,
// the entry is written back, so the key is still listed and usable; should
// that write fail too, the secret is left without an entry, which only
// costs a keychain item, never a key a user still sees as saved. (A
// deletion that timed out may still happen later; the restored entry then
// shows as Missing in List, which is the truth.)
func (k *Keyring) Delete(ctx context.Context, name string) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	return k.locked(ctx, fmt.Sprintf("removing key %q", name), func() error {
		entries, err := readIndex(k.IndexPath())
		if err != nil {
			return fmt.Errorf("removing key %q: %w", name, err)
		}
		i := findEntry(entries, name)
		if i >= 0 {
			name = entries[i].Name
		}
		if i < 0 {
			switch serr := k.deleteSecret(ctx, name); {
			case errors.Is(serr, ErrNotFound):
				return fmt.Errorf("%w: %q", ErrNotFound, name)
			case serr != nil:
				return fmt.Errorf("removing key %q: %w", name, serr)
			}
			return nil
		}
		// Every entry of that name goes: keys.json may list one twice.
		if err := k.writeIndex(slices.DeleteFunc(slices.Clone(entries), func(e Entry) bool { return e.Name == name })); err != nil {
			return fmt.Errorf("removing key %q: %w", name, err)
		}
		serr := k.deleteSecret(ctx, name)
		if serr == nil || errors.Is(serr, ErrNotFound) {
			return nil
		}
		if werr := k.writeIndex(entries); werr != nil {
			return fmt.Errorf("removing key %q: %w (putting its entry back failed too: %w)", name, serr, werr)
		}
		return fmt.Errorf("removing key %q: %w", name, serr)
	})
}

// locked runs fn under the writer lock. Waiting for the lock is bounded:
// the holder may be waiting on a keychain call, itself bounded by timeout.
// what prefixes errors from taking the lock; fn's errors carry their own.
func (k *Keyring) locked(ctx context.Context, what string, fn func() error) error {
	lctx, cancel := context.WithTimeout(ctx, 3*k.timeout)
	defer cancel()
	ran := false
	err := withLock(lctx, k.dir, func() error { ran = true; return fn() })
	if err != nil && !ran {
		return fmt.Errorf("%s: %w", what, err)
	}
	return err
}

func (k *Keyring) writeIndex(entries []Entry) error {
	if k.indexFault != nil {
		return k.indexFault
	}
	return writeIndex(k.dir, entries)
}
