package keystore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/anykey-app/anykey/internal/busdial"
	"github.com/godbus/dbus/v5"
)

// The names go-keyring uses (zalando/go-keyring secret_service.go): the
// "login" collection when it exists, else the default alias.
const (
	readySecrets     = "org.freedesktop.secrets"
	readyService     = "/org/freedesktop/secrets"
	readyLoginPath   = "/org/freedesktop/secrets/collection/login"
	readyDefaultPath = "/org/freedesktop/secrets/aliases/default"
	readyLocked      = "org.freedesktop.Secret.Collection.Locked"
	readyPrompt      = "org.freedesktop.Secret.Prompt"
)

// readyLockedError is a collection that stayed locked: [ErrLocked] and
// [ErrUnavailable] both, as the keychain's other locked errors.
type readyLockedError struct{ why string }

func (e readyLockedError) Error() string   { return "the keychain is locked (" + e.why + ")" }
func (e readyLockedError) Unwrap() []error { return []error{ErrLocked, ErrUnavailable} }

// platformReady checks, in order: a session bus address exists (without
// starting one: godbus would run dbus-launch, which is what fails with
// `exec: "dbus-launch": executable file not found`), the bus answers, a
// Secret Service answers on it (activating it if the bus knows how), the
// collection go-keyring saves to exists ([ErrNoCollection]), and it is
// unlocked, unlocking it with the provider's prompt when it is not.
func platformReady(ctx context.Context) error {
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" || addr == "autolaunch:" {
		run := os.Getenv("XDG_RUNTIME_DIR")
		p := filepath.Join(run, "bus")
		if fi, err := os.Stat(p); run == "" || err != nil || fi.Mode()&os.ModeSocket == 0 {
			return fmt.Errorf("%w: DBUS_SESSION_BUS_ADDRESS is not set", ErrNoSessionBus)
		}
		addr = "unix:path=" + p
	}
	conn, err := busdial.Connect(ctx, addr)
	if busdial.IsSilent(err) || busdial.IsRefused(err) {
		return busError(err)
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoSessionBus, err)
	}
	defer conn.Close()

	// Who runs the Secret Service is asked before anything is sent to it;
	// when nobody does yet, the Ping below starts it and it is asked again.
	owner := checkSecretServiceOwner(ctx, conn)
	if owner != nil && !errors.Is(owner, errNoOwner) {
		return owner
	}
	svc := conn.Object(readySecrets, readyService)
	if err := svc.CallWithContext(ctx, "org.freedesktop.DBus.Peer.Ping", 0).Err; err != nil {
		// ServiceUnknown: nobody owns the name and the bus cannot start
		// one; a timeout: a provider that does not answer.
		return fmt.Errorf("%w: %w", ErrNoSecretService, err)
	}
	if owner != nil {
		if err := checkSecretServiceOwner(ctx, conn); err != nil && !errors.Is(err, errNoOwner) {
			return err
		}
	}
	for _, path := range []dbus.ObjectPath{readyLoginPath, readyDefaultPath} {
		v, err := conn.Object(readySecrets, path).GetProperty(readyLocked)
		if err != nil {
			continue // no such collection: go-keyring tries the next too
		}
		if locked, ok := v.Value().(bool); ok && locked {
			return unlock(ctx, conn, path)
		}
		return nil
	}
	// Neither answers: go-keyring's Unlock of the alias would fail ("Alias
	// default does not exist" from KWallet without a wallet), after
	// Anytype minted a key.
	return ErrNoCollection
}

// unlock asks the Secret Service to unlock the collection at path and, when
// that needs the user, shows the provider's prompt and waits for its
// Completed signal (Secret Service API: Service.Unlock, Prompt.Prompt).
func unlock(ctx context.Context, conn *dbus.Conn, path dbus.ObjectPath) error {
	// Subscribe before prompting, so the answer cannot be missed.
	sigs := make(chan *dbus.Signal, 4)
	conn.Signal(sigs)
	defer conn.RemoveSignal(sigs)

	var unlocked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err := conn.Object(readySecrets, readyService).CallWithContext(ctx,
		"org.freedesktop.Secret.Service.Unlock", 0, []dbus.ObjectPath{path}).Store(&unlocked, &prompt)
	switch {
	case err != nil:
		return readyLockedError{"unlocking failed: " + err.Error()}
	case prompt == "/" && len(unlocked) > 0:
		return nil
	case prompt == "/":
		return readyLockedError{"the keychain refused to unlock it"}
	}
	if err := conn.AddMatchSignalContext(ctx, dbus.WithMatchObjectPath(prompt),
		dbus.WithMatchInterface(readyPrompt), dbus.WithMatchMember("Completed")); err != nil {
		return readyLockedError{"watching the unlock prompt: " + err.Error()}
	}
	if err := conn.Object(readySecrets, prompt).CallWithContext(ctx, readyPrompt+".Prompt", 0, "").Err; err != nil {
		return readyLockedError{"showing the unlock prompt: " + err.Error()}
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err() // the caller turns a deadline into a TimeoutError
		case s, ok := <-sigs:
			if !ok {
				return readyLockedError{"the session bus closed"}
			}
			if s.Path != prompt || s.Name != readyPrompt+".Completed" || len(s.Body) == 0 {
				continue
			}
			if dismissed, _ := s.Body[0].(bool); dismissed {
				return readyLockedError{"its unlock prompt was dismissed or could not be shown"}
			}
			return nil
		}
	}
}
