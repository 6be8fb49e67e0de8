package keystore

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/anykey-app/anykey/internal/busdial"
	"github.com/godbus/dbus/v5"
)

// foreignKeychain is a session bus or Secret Service run by another user
// (a *busdial.ForeignError), or a bus whose owner cannot be checked (a
// *busdial.TransportError: tcp:, nonce-tcp:): [ErrUnavailable], so nothing
// is stored and no challenge is created, with the bus error's own text.
type foreignKeychain struct{ err error }

func (f foreignKeychain) Error() string   { return f.err.Error() }
func (f foreignKeychain) Unwrap() []error { return []error{ErrUnavailable, f.err} }

// errNoOwner: nobody owns org.freedesktop.secrets yet; the bus (this
// user's, checked by busdial) starts the provider, as this user, on the
// first call if it can.
var errNoOwner = errors.New("no Secret Service is running")

// checkSecretServiceOwner asks the bus which user runs the connection that
// owns org.freedesktop.secrets (org.freedesktop.DBus.GetConnectionUnixUser,
// which the bus daemon answers from that connection's credentials). conn's
// bus must itself be this user's (busdial checks it): only then is the
// answer worth anything. A provider of another user (one who could
// connect to the bus) gets no call at all.
func checkSecretServiceOwner(ctx context.Context, conn *dbus.Conn) error {
	var uid uint32
	err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetConnectionUnixUser", 0, ssName).Store(&uid)
	var de dbus.Error
	switch {
	case errors.As(err, &de) && de.Name == "org.freedesktop.DBus.Error.NameHasNoOwner":
		return errNoOwner
	case err != nil:
		return fmt.Errorf("%w: asking the session bus who runs the Secret Service: %w", ErrUnavailable, err)
	case uid != uint32(os.Geteuid()):
		return foreignKeychain{&busdial.ForeignError{What: "the Secret Service (" + ssName + ")", UID: uid}}
	}
	return nil
}

// CheckSecretServiceOwner returns a *busdial.ForeignError (wrapped, with
// [ErrUnavailable]) when another user runs the Secret Service on conn, an
// error when the bus cannot be asked, and nil when this user runs it or
// nobody does yet. conn's bus must be this user's (busdial.Connect checks
// it). For callers that probe the Secret Service on a connection of their
// own (doctor): nothing may be asked of another user's.
func CheckSecretServiceOwner(ctx context.Context, conn *dbus.Conn) error {
	if err := checkSecretServiceOwner(ctx, conn); err != nil && !errors.Is(err, errNoOwner) {
		return err
	}
	return nil
}

// checkSharedOwner runs [CheckSecretServiceOwner] on the shared
// connection before each keychain call. Not once per connection: the name
// can change hands while anykey runs (the tray runs for days; a user's
// provider can end and, on a bus that lets other users in, another user's
// program take org.freedesktop.secrets), and go-keyring then sends to
// whoever owns it now. When nobody owns it yet, the bus (the user's)
// starts the provider as the user. The bus daemon answers it itself, one
// round trip (73-135 µs beside a 2.2 ms Get: docs/performance.md). A name
// that changes hands between this answer and go-keyring's call is still
// open (docs/security.md).
func checkSharedOwner(conn *dbus.Conn) error {
	ctx, cancel := context.WithTimeout(context.Background(), busdial.Handshake)
	defer cancel()
	return CheckSecretServiceOwner(ctx, conn)
}
