// Package keystore keeps named Anytype API keys: the secret in the OS
// keychain (go-keyring, service "anykey" — [Service] — account = the name) and the
// non-secret facts about each key in keys.json in the user config dir.
//
// Start with [Open] for the real store, [NewMemory] for tests. Both satisfy
// [Store].
package keystore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Service is the keychain service name the shipped anykey stores every key
// under (go-keyring's service: the Secret Service attribute "service", the
// Credential Manager's target "anykey:NAME", the macOS keychain item's
// service). Tests never use it: see [TestService].
const Service = "anykey"

// TestService is the keychain service name of tests, so that no test
// reads, overwrites or deletes a key of the user's own, on any OS: this
// package's tests store under it (service_test.go), and so does anykey
// built for tests (the anykey_e2e or anykey_testkeychain build tag, which
// only test helpers pass to go build; never an environment variable, which
// the shipped binary would have to trust).
const TestService = "anykey-test"

// service is the name this build stores keys under: [Service], or
// [TestService] in a build for tests (e2ebuild.go) and in this
// package's own tests.
var service = buildService

// KeychainTimeout bounds each keychain call; long enough for a human to
// answer an unlock prompt (cli/cli#11005).
const KeychainTimeout = 30 * time.Second

// Entry is the non-secret metadata of a saved key.
type Entry struct {
	Name       string          `json:"name"`
	APIURL     string          `json:"api_url"`
	CreatedAt  time.Time       `json:"created_at"`
	APIVersion string          `json:"api_version,omitempty"`
	Grant      json.RawMessage `json:"grant,omitempty"`
	// Kind is "legacy", "scoped" or "limited", as Anytype said when the
	// key was saved (whoami, its /v2 scope gate, Anytype-Key-Status); ""
	// when it did not say. Read with care: keys.json is input.
	Kind string `json:"kind,omitempty"`
	// ExpiresAt is when Anytype stops accepting the key (RFC 3339), as
	// its whoami said when the key was saved; "" for never or unknown.
	// A string, not a time.Time, so that a hand-edited value cannot make
	// the whole of keys.json unreadable.
	ExpiresAt string `json:"expires_at,omitempty"`
	// Missing is set by List/Lookup when the secret is gone from the
	// keychain. It is never stored.
	Missing bool `json:"missing,omitempty"`
	// Invalid says why an entry read from keys.json cannot be used (a name
	// that breaks the naming rules, an api_url that is not on loopback, a
	// name listed twice); "" when it can. Such an entry is listed but its
	// key is never handed out: Get and Lookup answer [*BadEntryError].
	// It is never stored.
	Invalid string `json:"-"`
	// Locked is set by List/Lookup when the keychain holds the secret
	// but will not hand it out before it is unlocked: its collection is
	// locked (locked by the user or a screen lock, or loaded locked after
	// a restart or a login without auto-unlock). Reading the secret (Get)
	// raises the keychain's own unlock prompt. A provider that hides the
	// items of a locked collection (KeePassXC) leaves no way to tell a
	// secret that is there from one that is not; such entries are Locked
	// too, never Missing. It is never stored.
	Locked bool `json:"-"`
}

// SecretState names the three states of an entry's secret, as List and
// Lookup found them.
type SecretState string

const (
	StatePresent SecretState = "present" // in the keychain, readable
	StateLocked  SecretState = "locked"  // in a locked keychain: unlock to read
	StateMissing SecretState = "missing" // gone from the keychain
)

// State is the entry's [SecretState]. It says present when List or Lookup
// could not ask the keychain (they then return an error as well).
func (e Entry) State() SecretState {
	switch {
	case e.Missing:
		return StateMissing
	case e.Locked:
		return StateLocked
	}
	return StatePresent
}

// Store is a set of named keys.
type Store interface {
	// List returns every entry sorted by name, with Missing set where the
	// secret is gone from the keychain and Locked where the keychain is
	// locked.
	List(ctx context.Context) ([]Entry, error)
	// Lookup returns one entry's metadata (Missing and Locked set as in
	// List), or ErrNotFound.
	Lookup(ctx context.Context, name string) (Entry, error)
	// Get returns the secret. ErrNotFound when the name is unknown,
	// ErrSecretMissing when the metadata exists but the keychain has no secret.
	Get(ctx context.Context, name string) (string, error)
	// Set saves secret then metadata. With overwrite false an existing name is
	// ErrExists. If the metadata cannot be written the secret is removed
	// again, so nothing is half-written.
	Set(ctx context.Context, e Entry, secret string, overwrite bool) error
	// Delete removes the secret and the metadata; ErrNotFound if neither exists.
	Delete(ctx context.Context, name string) error
}

var (
	ErrNotFound      = errors.New("no key with that name")
	ErrExists        = errors.New("a key with that name already exists")
	ErrSecretMissing = errors.New("the secret is missing from the keychain")
	// ErrUnavailable: no keychain (no Secret Service provider, no session bus, locked and cannot unlock).
	ErrUnavailable = errors.New("the keychain is not available")
	// ErrLocked: the keychain is locked and was not unlocked (its prompt
	// was dismissed or could not be shown). Errors wrapping it wrap
	// [ErrUnavailable] too.
	ErrLocked      = errors.New("the keychain is locked")
	ErrInvalidName = errors.New("invalid key name")
	// ErrCorruptIndex: keys.json cannot be parsed; the file is left as it was.
	ErrCorruptIndex = errors.New("the key index is damaged")
)

// ErrBadEntry: keys.json's entry for a key breaks the rules for entries,
// so the key is not handed out (see [Entry.Invalid]).
var ErrBadEntry = errors.New("the key's entry in keys.json is not valid")

// BadEntryError is a refused entry of keys.json. Name may hold any text
// the file held; show it through internal/textsafe.
type BadEntryError struct {
	Name   string
	Reason string
}

func (e *BadEntryError) Error() string {
	return fmt.Sprintf("key %q: %v: %s", e.Name, ErrBadEntry, e.Reason)
}

func (e *BadEntryError) Unwrap() error { return ErrBadEntry }

// ErrInvalidEntry: Set was given an empty or multi-line key, no API URL,
// or a grant that is not JSON.
var ErrInvalidEntry = errors.New("invalid key entry")

// TimeoutError is returned when a keychain call exceeds its deadline.
type TimeoutError struct {
	Op    string
	After time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("keychain %s: no answer after %s (is an unlock prompt waiting?)", e.Op, e.After)
}

// Unwrap lets callers test errors.Is(err, context.DeadlineExceeded).
func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// MaxNameLen is the longest allowed key name, in characters (runes).
const MaxNameLen = 64

// ValidateName checks a key name: 1–64 characters, printable, no leading or
// trailing space, no '/' and no control characters. The error wraps
// [ErrInvalidName]. The name is also sent to Anytype as app_name, so the
// rules keep it readable in Anytype's Settings → API Keys too.
func ValidateName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: empty", ErrInvalidName)
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("%w: not valid UTF-8", ErrInvalidName)
	}
	if n := utf8.RuneCountInString(name); n > MaxNameLen {
		return fmt.Errorf("%w: %d characters, at most %d", ErrInvalidName, n, MaxNameLen)
	}
	if strings.TrimSpace(name) != name {
		return fmt.Errorf("%w: %q starts or ends with a space", ErrInvalidName, name)
	}
	for _, r := range name {
		switch {
		case r == '/':
			return fmt.Errorf("%w: %q contains '/'", ErrInvalidName, name)
		case unicode.IsControl(r):
			return fmt.Errorf("%w: %q contains a control character", ErrInvalidName, name)
		case !unicode.IsPrint(r):
			return fmt.Errorf("%w: %q contains a character that is not printable", ErrInvalidName, name)
		}
	}
	return nil
}
