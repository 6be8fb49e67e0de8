package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"

	"github.com/anykey-app/anykey/internal/textsafe"
)

// EnvTrustListenerOwner names the variable that lets an API listener owned
// by another account through the owner check: a comma-separated list of
// user names or numeric ids (Linux, macOS) or SIDs (Windows), for example
// "anytype" for anytype-cli run by a service account, or "root" for a
// container runtime's port proxy. "*" trusts any listener, even one whose
// owner cannot be found (a port forwarded by packet rewriting): it turns the
// check off. Unset, only the user anykey runs as is trusted.
const EnvTrustListenerOwner = "ANYKEY_TRUST_LISTENER_OWNER"

// ErrForeignListener: the socket listening at the API URL belongs to
// another account, so nothing was sent to it.
var ErrForeignListener = errors.New("the api port is held by another user's program")

// ErrListenerUnknown: anykey could not find out who listens at the API URL,
// so nothing was sent to it.
var ErrListenerUnknown = errors.New("cannot tell who listens at the api url")

// ListenerError is a refused connection: the listener at Addr is owned by
// Owner, who is not the user anykey runs as nor listed in
// [EnvTrustListenerOwner]. It unwraps to [ErrForeignListener] or
// [ErrListenerUnknown]. Nothing was written to the connection.
type ListenerError struct {
	Addr  string // "127.0.0.1:31009"
	Owner string // user name, else numeric id or SID; "" when unknown
	ID    string // numeric uid or SID; "" when unknown
	Kind  error  // ErrForeignListener or ErrListenerUnknown
	Err   error  // why the owner is unknown, for ErrListenerUnknown
}

func (e *ListenerError) Error() string {
	if e.Kind == ErrListenerUnknown {
		return fmt.Sprintf("%v %s: %v", e.Kind, e.Addr, e.Err)
	}
	who := e.Owner
	if e.ID != "" && e.ID != e.Owner {
		who += " (" + e.ID + ")"
	}
	return fmt.Sprintf("%s is listened on by user %s, not by you: %v", e.Addr, textsafe.Terminal(who), e.Kind)
}

func (e *ListenerError) Unwrap() error { return e.Kind }

// owner is who holds a listening socket.
type owner struct {
	id   string // uid or SID
	name string // user name, "" if it has none
	mine bool   // the user anykey runs as
}

// errOwnerUnsupported: this platform has no owner check (see
// docs/security.md); the connection is used as it is.
var errOwnerUnsupported = errors.New("listener owner check not supported on this platform")

// checkListener refuses conn unless the socket listening at its remote
// address belongs to this user or to an account in trusted. It runs after
// connecting and before writing a byte, and matches the listening socket,
// not a pre-dial guess, so a listener that appears between a check and the
// connect cannot slip through.
func checkListener(conn net.Conn, trusted []string) error {
	local, lok := addrPort(conn.LocalAddr())
	remote, rok := addrPort(conn.RemoteAddr())
	if !lok || !rok {
		return &ListenerError{Addr: conn.RemoteAddr().String(), Kind: ErrListenerUnknown, Err: errors.New("not a tcp connection")}
	}
	if slices.Contains(trusted, "*") {
		return nil
	}
	o, err := listenerOwner(local, remote)
	if errors.Is(err, errOwnerUnsupported) {
		return nil
	}
	if err != nil {
		return &ListenerError{Addr: remote.String(), Kind: ErrListenerUnknown, Err: err}
	}
	if o.mine {
		return nil
	}
	for _, t := range trusted {
		if t != "" && (t == o.id || o.name != "" && t == o.name) {
			return nil
		}
	}
	name := o.name
	if name == "" {
		name = o.id
	}
	return &ListenerError{Addr: remote.String(), Owner: name, ID: o.id, Kind: ErrForeignListener}
}

func addrPort(a net.Addr) (netip.AddrPort, bool) {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return netip.AddrPort{}, false
	}
	ap := ta.AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), true
}

// trustedOwners reads [EnvTrustListenerOwner].
func trustedOwners() []string {
	var out []string
	for _, s := range strings.Split(os.Getenv(EnvTrustListenerOwner), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// listening is one listening socket from the OS's table.
type listening struct {
	addr netip.Addr // unmapped; unspecified for a wildcard bind
	port uint16
}

// pickListeners returns the indexes of the sockets that may have accepted a
// connection to remote, the way the kernel picks: sockets bound to exactly
// that address if any, else wildcard binds on the port. Every one must be
// trusted, since which of several wildcard sockets took the connection is
// not known.
func pickListeners(ls []listening, remote netip.AddrPort) []int {
	var exact, wild []int
	for i, l := range ls {
		if l.port != remote.Port() {
			continue
		}
		switch {
		case l.addr == remote.Addr():
			exact = append(exact, i)
		case l.addr.IsUnspecified() && l.addr.Is4() == remote.Addr().Is4(),
			l.addr.IsUnspecified() && l.addr.Is6() && remote.Addr().Is4():
			// A v6 wildcard socket without IPV6_V6ONLY also takes IPv4.
			wild = append(wild, i)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return wild
}

// DialOwned connects to baseURL's address ("localhost" is 127.0.0.1 and
// never looked up, see [DialAddr]) and returns the connection only when the
// socket listening there belongs to this user or an owner trusted by
// [EnvTrustListenerOwner]: the check every request of the [Client] makes,
// for callers that speak on a connection of their own (the tray's idle
// connection). It returns a [*ListenerError] for another owner, and the
// dial's error (refused, or ctx's) otherwise.
func DialOwned(ctx context.Context, baseURL string) (net.Conn, error) {
	u, err := ParseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", DialAddr(u))
	if err != nil {
		return nil, err
	}
	if err := checkListener(conn, trustedOwners()); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// CheckHandOff reports whether a key may be handed to a tool that will
// call baseURL itself (env, exec, an MCP server): it connects, checks the
// listening socket's owner as every request of anykey's does, and closes
// without writing a byte. Nobody listening is not an error — Anytype may
// start after the tool does, and anykey cannot watch that tool's later
// connections (docs/security.md). It returns a [*ListenerError] for a
// listener owned by someone else (or whose owner cannot be found), and an
// error wrapping ctx's error when the connect does not finish in time.
func CheckHandOff(ctx context.Context, baseURL string) error {
	if _, err := ParseBaseURL(baseURL); err != nil {
		return err
	}
	conn, err := DialOwned(ctx, baseURL)
	var le *ListenerError
	switch {
	case err == nil:
		conn.Close()
		return nil
	case errors.As(err, &le):
		return err
	case ctx.Err() != nil:
		return fmt.Errorf("checking who listens at %s: %w", baseURL, ctx.Err())
	}
	return nil // refused or unreachable: nothing to hand the key to yet
}
