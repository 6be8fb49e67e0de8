package keystore

import (
	"context"
	"errors"
)

// Why the keychain cannot save a key, as [Ready] tells them apart. Each
// wraps [ErrUnavailable], so callers that only ask "available?" still work.
var (
	// ErrNoSessionBus: no D-Bus session bus (Linux): not a desktop session,
	// e.g. ssh, a container, a cron job.
	ErrNoSessionBus = &causeError{"there is no D-Bus session bus (not a desktop session)"}
	// ErrNoSecretService: a session bus but no Secret Service provider on
	// it (no gnome-keyring, KWallet or KeePassXC integration running).
	ErrNoSecretService = &causeError{"no Secret Service answers on the session bus"}
	// ErrNoCollection: a Secret Service answers but has no collection to
	// save keys in: neither a "login" collection nor a "default" alias (a
	// KDE user who never made a wallet; KeePassXC with no database group
	// exposed). Which program to fix is [Keyring.Provider]'s.
	ErrNoCollection = &causeError{`the Secret Service has no collection to save keys in (no "login" collection, no "default" alias)`}
)

type causeError struct{ msg string }

func (e *causeError) Error() string { return e.msg }
func (e *causeError) Unwrap() error { return ErrUnavailable }

// Ready reports, cheaply and without reading or writing a secret, whether
// st can save a key now. It is what pairing checks before it spends one of
// Anytype's few challenges. A store that cannot tell answers nil. The
// error wraps [ErrNoSessionBus], [ErrNoSecretService] or [ErrLocked] where
// the cause is known ([ErrNoCollection]: nowhere to save; [ErrLocked]: locked, and the unlock prompt it raised
// was dismissed or could not be shown), and [ErrUnavailable] always.
func Ready(ctx context.Context, st Store) error {
	r, ok := st.(interface{ Ready(context.Context) error })
	if !ok {
		return nil
	}
	return r.Ready(ctx)
}

// Ready checks the OS keychain (see [Ready]); the Secret Service checks
// run on Linux, other systems answer nil. A locked collection is unlocked
// here, with the provider's own prompt, so that a pairing never mints a
// key the keychain then refuses; the prompt may take a person up to the
// keychain timeout to answer.
func (k *Keyring) Ready(ctx context.Context) error {
	_, err := call(ctx, k.timeout, "check", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, platformReady(ctx)
	})
	var te *TimeoutError
	if errors.As(err, &te) {
		return unavailable{err: err}
	}
	return err
}

// Ready answers like [Keyring.Ready]: the error set by [Memory.FailReady],
// else nil. [Memory.FailSecrets] does not change it, so tests can still
// make a save fail that the check did not foresee (a dismissed unlock
// prompt, a keyring stopped meanwhile).
func (m *Memory) Ready(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.readyErr != nil {
		return m.readyErr
	}
	return ctx.Err()
}

// FailReady makes [Memory.Ready] answer err (nil: ready).
func (m *Memory) FailReady(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.readyErr = err
}
