package keystore

// The keychain calls under Keyring: each one bounded by a deadline, and its
// failures told apart (locked, no prompt, timeout) for the callers that
// branch on them.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

func (k *Keyring) getSecret(ctx context.Context, name string) (string, error) {
	start := time.Now()
	s, err := call(ctx, k.timeout, "lookup", func(ctx context.Context) (string, error) {
		s, err := k.be.get(service, name)
		if itemVanished(err) {
			// Deleted mid-lookup: a fresh search answers not found (or
			// finds the item that replaced it).
			s, err = k.be.get(service, name)
		}
		return s, err
	})
	return s, k.lockedOr(ctx, time.Since(start), mapError("lookup", err, ""))
}

func (k *Keyring) setSecret(ctx context.Context, name, secret string) error {
	start := time.Now()
	_, err := call(ctx, k.timeout, "store", func(context.Context) (struct{}, error) {
		return struct{}{}, k.be.set(service, name, secret)
	})
	return k.lockedOr(ctx, time.Since(start), mapError("store", err, secret))
}

func (k *Keyring) deleteSecret(ctx context.Context, name string) error {
	start := time.Now()
	_, err := call(ctx, k.timeout, "delete", func(context.Context) (struct{}, error) {
		err := k.be.delete(service, name)
		if itemVanished(err) {
			// Another rm won the race; a fresh search says not found.
			err = k.be.delete(service, name)
		}
		return struct{}{}, err
	})
	return k.lockedOr(ctx, time.Since(start), mapError("delete", err, ""))
}

// lockedOr returns err (already mapped) marked with [ErrLocked] when the
// keychain is locked, or with [ErrNoCollection] when it has no collection: go-keyring unlocks before every call, so a failure
// with the collection still locked is a failed unlock (prompt dismissed,
// or no prompter to show it). Timeouts keep their own error, which names
// the waiting prompt already.
//
// A failed unlock that took less than [promptFloor] (took: the whole call)
// showed no prompt: it also wraps [ErrNoPrompt].
func (k *Keyring) lockedOr(ctx context.Context, took time.Duration, err error) error {
	var te *TimeoutError
	if !errors.Is(err, ErrUnavailable) || errors.As(err, &te) || ctx.Err() != nil {
		return err
	}
	locked, lerr := call(ctx, providerTimeout, "lock check", k.be.locked)
	if errors.Is(lerr, ErrNoCollection) {
		// Not locked: there is nothing to unlock (KWallet without a
		// wallet answers "Alias default does not exist").
		return causedError{err, ErrNoCollection}
	}
	if lerr != nil || !locked {
		return err
	}
	return lockedError{err: err, noPrompt: took < promptFloor}
}

// promptFloor is quicker than a person answers an unlock prompt: a
// keychain that refuses to unlock faster showed none (gnome-keyring with
// no prompter to start, e.g. no display, answers in about 0.1 s).
const promptFloor = time.Second

// ErrNoPrompt: the keychain stayed locked without showing an unlock prompt
// (see [Keyring.lockedOr]); it comes with [ErrLocked].
var ErrNoPrompt = errors.New("no unlock prompt could be shown")

// causedError is an [ErrUnavailable] error whose cause is known to be one
// of the [Ready] causes.
type causedError struct{ err, cause error }

func (e causedError) Error() string   { return e.err.Error() }
func (e causedError) Unwrap() []error { return []error{e.cause, e.err} }

// lockedError is an [ErrUnavailable] error known to be a locked keychain.
type lockedError struct {
	err      error
	noPrompt bool // no unlock prompt was shown: [ErrNoPrompt]
}

func (e lockedError) Error() string { return e.err.Error() }
func (e lockedError) Unwrap() []error {
	if e.noPrompt {
		return []error{ErrLocked, ErrNoPrompt, e.err}
	}
	return []error{ErrLocked, e.err}
}

// call runs one keychain operation with a deadline, the cli/cli way
// (cli/cli#11005): the backend cannot be interrupted (go-keyring waits on
// an unlock prompt with no timeout), so it runs in a goroutine that
// reports on a channel buffered to 1 and is abandoned if the deadline
// passes first; it then finishes on its own without blocking.
func call[T any](ctx context.Context, timeout time.Duration, op string, fn func(context.Context) (T, error)) (T, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := fn(ctx)
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return zero, &TimeoutError{Op: op, After: time.Since(start).Round(time.Millisecond)}
		}
		return zero, fmt.Errorf("keychain %s: %w", op, ctx.Err())
	}
}

// checkEntry validates what Set is given and normalises the entry: no
// Missing or Locked flag, a creation time if none was set.
func checkEntry(e Entry, secret string) (Entry, error) {
	if err := ValidateName(e.Name); err != nil {
		return e, err
	}
	e.Name = NormalizeName(e.Name)
	// The secret is opaque, but `anykey get` prints it on one line and
	// env/exec put it in variables, so an empty or multi-line one is a bug
	// upstream. The message never quotes it.
	if secret == "" || strings.ContainsAny(secret, "\x00\r\n") {
		return e, fmt.Errorf("saving key %q: %w: the key is empty or contains a line break", e.Name, ErrInvalidEntry)
	}
	if e.APIURL == "" {
		return e, fmt.Errorf("saving key %q: %w: no API URL", e.Name, ErrInvalidEntry)
	}
	if len(e.Grant) > 0 && !json.Valid(e.Grant) {
		return e, fmt.Errorf("saving key %q: %w: grant is not valid JSON", e.Name, ErrInvalidEntry)
	}
	e.Missing, e.Locked = false, false
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now().UTC()
	}
	e.CreatedAt = e.CreatedAt.Round(0) // drop the monotonic reading
	return e, nil
}
