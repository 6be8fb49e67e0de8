package keystore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zalando/go-keyring"
)

// backend is the keychain as [Keyring] sees it. The real one is go-keyring;
// tests swap in a map, a slow one or a failing one. Calls may block for
// ever (go-keyring waits on unlock prompts without a timeout), so Keyring
// only calls them through [Keyring.call].
type backend interface {
	// get may use ctx to bound a fast path; go-keyring itself cannot be
	// interrupted.
	get(ctx context.Context, service, user string) (string, error)
	set(service, user, secret string) error
	delete(service, user string) error
	// present reports which of names have a secret. It may return more
	// names than asked for.
	present(ctx context.Context, service string, names []string) (map[string]bool, error)
}

// goKeyring is the OS keychain through go-keyring. dir is the config dir,
// where the platform code may keep a cache that makes [backend.present]
// fast (Linux); empty means no cache.
type goKeyring struct{ dir string }

// get is go-keyring's Get; on Linux platformGet answers the common case
// itself, faster (get_linux.go).
func (goKeyring) get(ctx context.Context, service, user string) (string, error) {
	return platformGet(ctx, service, user)
}

func (goKeyring) delete(service, user string) error { return keyring.Delete(service, user) }

func (g goKeyring) set(service, user, secret string) error {
	if err := keyring.Set(service, user, secret); err != nil {
		return err
	}
	afterSet(g.dir, service, user)
	return nil
}

func (g goKeyring) present(ctx context.Context, service string, names []string) (map[string]bool, error) {
	return platformPresent(ctx, g.dir, service, names)
}

// mapError turns a backend error into the package's errors. go-keyring has
// one sentinel for "no such secret" and one for oversized secrets; every
// other failure means the keychain could not do its job (no Secret Service
// provider, no session bus, dbus-launch missing, a locked collection that
// cannot be unlocked: zalando/go-keyring#18, #116), so it wraps
// [ErrUnavailable] and keeps the backend's text for the user. secret, if
// not empty, is scrubbed from that text: the backends do not echo it, but
// an error string is the one place a key must never reach by accident.
//
// An item deleted between go-keyring's search and its next call on the
// item also lands here (see [itemVanished]); [Keyring.getSecret] and
// [Keyring.deleteSecret] retry that once before mapping, so only a
// provider that keeps answering so is reported as unavailable.
func mapError(op string, err error, secret string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, ErrNotFound):
		return ErrNotFound
	}
	var te *TimeoutError
	if errors.As(err, &te) || errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return fmt.Errorf("keychain %s: %w", op, err)
	}
	if errors.Is(err, ErrUnavailable) {
		return fmt.Errorf("keychain %s: %w", op, err)
	}
	return unavailable{fmt.Sprintf("keychain %s failed: ", op), scrubbed{err, secret}}
}

// unavailable wraps [ErrUnavailable] without repeating its text: callers
// lead with it (the CLI prints "the keychain is not available: " and then
// the error), so the text here is only what failed and why.
type unavailable struct {
	prefix string
	err    error
}

func (u unavailable) Error() string   { return u.prefix + u.err.Error() }
func (u unavailable) Unwrap() []error { return []error{ErrUnavailable, u.err} }

// scrubbed hides secret in err's text while keeping err for errors.Is/As.
type scrubbed struct {
	err    error
	secret string
}

func (s scrubbed) Error() string {
	msg := s.err.Error()
	if s.secret != "" {
		msg = strings.ReplaceAll(msg, s.secret, "[redacted]")
	}
	return msg
}

func (s scrubbed) Unwrap() error { return s.err }
