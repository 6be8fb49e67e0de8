package keystore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zalando/go-keyring"
)

// backend is the keychain as [Keyring] sees it. The real one is go-keyring
// plus, for what go-keyring cannot do, a few Secret Service calls over
// godbus (Linux); tests swap in a map, a slow one or a failing one. Calls
// may block for ever (go-keyring waits on unlock prompts without a
// timeout), so Keyring only calls them through [call].
type backend interface {
	get(service, user string) (string, error)
	set(service, user, secret string) error
	delete(service, user string) error
	// states reports the state of each of names' secrets, without an
	// unlock prompt. A name left out of the map is missing.
	states(ctx context.Context, service string, names []string) (map[string]SecretState, error)
	// locked reports whether the keychain go-keyring writes to is locked;
	// false when the platform cannot say.
	locked(ctx context.Context) (bool, error)
}

// goKeyring is the OS keychain: go-keyring for every read and write of a
// secret, platformStates and platformLocked for the questions go-keyring
// has no call for (zalando/go-keyring#133: it cannot list).
type goKeyring struct{}

// Each call first makes sure the session bus answers (platformBus):
// go-keyring would wait on a silent one for ever.
func (goKeyring) get(service, user string) (string, error) {
	if err := platformBus(); err != nil {
		return "", err
	}
	return keyring.Get(service, user)
}

func (goKeyring) set(service, user, secret string) error {
	if err := platformBus(); err != nil {
		return err
	}
	// go-keyring's Set opens with OpenSession, which gnome-keyring 42 can
	// abort on when it is a connection's first call (see platformGreet).
	platformGreet()
	// On Linux, go-keyring's Set with the content type libsecret reads
	// (set_linux.go); elsewhere go-keyring's Set itself.
	return platformSet(service, user, secret)
}

func (goKeyring) delete(service, user string) error {
	if err := platformBus(); err != nil {
		return err
	}
	return keyring.Delete(service, user)
}

func (goKeyring) states(ctx context.Context, service string, names []string) (map[string]SecretState, error) {
	return platformStates(ctx, service, names)
}

func (goKeyring) locked(ctx context.Context) (bool, error) { return platformLocked(ctx) }

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
