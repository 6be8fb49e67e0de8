package busdial

import (
	"errors"
	"fmt"
	"strings"

	"github.com/godbus/dbus/v5"
)

// busAddr is one entry of a D-Bus address list: "unix:path=/run/user/1000/bus"
// is transport "unix" with the key path. The list's grammar (D-Bus
// specification, "Server Addresses"): entries separated by ';', each
// "transport:key=value,key=value", values percent-escaped, so ';', ':',
// ',' and '=' never occur unescaped inside one. godbus splits the list
// the same way (conn.go getTransport) and tries the entries in order.
// A key given twice has its first value, as godbus reads it (conn.go
// getKey): "unix:path=/a,path=/b" is dialed at /a, so /a is what the
// owner probe must look at.
type busAddr struct {
	transport string
	// params are the values unescaped with godbus's
	// UnescapeBusAddressValue; one that does not unescape is "", as
	// godbus's getKey has it.
	params map[string]string
}

// parseAddrs splits a D-Bus address list into its entries; an entry
// without a transport keeps transport "" (godbus skips it).
func parseAddrs(list string) []busAddr {
	var out []busAddr
	for _, e := range strings.Split(list, ";") {
		if e == "" {
			continue
		}
		tr, rest, ok := strings.Cut(e, ":")
		if !ok {
			out = append(out, busAddr{})
			continue
		}
		a := busAddr{transport: tr, params: map[string]string{}}
		for _, kv := range strings.Split(rest, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				continue
			}
			if _, seen := a.params[k]; seen {
				continue // godbus reads the first
			}
			u, err := dbus.UnescapeBusAddressValue(v)
			if err != nil {
				u = ""
			}
			a.params[k] = u
		}
		out = append(out, a)
	}
	return out
}

// TransportError is a session bus address with an entry that is not a
// Unix socket (tcp:, nonce-tcp:, …). Who runs a bus is read from a Unix
// socket's peer credentials; over TCP nothing tells it, and a bus on a
// loopback port may be another local user's. Nothing was sent: the
// address was refused before dialing. No bus daemon a user runs can be
// used over TCP by anykey anyway: godbus authenticates with EXTERNAL only,
// which dbus-daemon refuses over TCP and dbus-broker has no TCP at all.
type TransportError struct {
	Addr      string // the address list, as the environment gave it
	Transport string // the first entry's transport that is not "unix" ("" when it names none)
}

func (e *TransportError) Error() string {
	tr := e.Transport
	if len(tr) > 20 {
		tr = tr[:20]
	}
	what := "is not a Unix socket"
	if len(parseAddrs(e.Addr)) > 1 {
		// godbus would go on to it when an entry before it fails.
		what = "has an entry that is not a Unix socket"
	}
	return fmt.Sprintf("the D-Bus session bus address %q %s (transport %q), so who runs that bus cannot be checked",
		shownAddr(e.Addr), what, tr)
}

// IsTransport reports whether err is, or wraps, a *[TransportError].
func IsTransport(err error) bool {
	var t *TransportError
	return errors.As(err, &t)
}

// IsRefused reports whether err is a bus anykey refuses to use: one run
// by another user (*[ForeignError]) or one whose owner cannot be checked
// (*[TransportError]). Nothing was sent to it.
func IsRefused(err error) bool { return IsForeign(err) || IsTransport(err) }

// unixOnly returns a *[TransportError] unless every entry of the address
// list is a Unix socket: whichever entry godbus ends up connected to
// (it tries them in order, the next when one fails), its peer
// credentials can then be read.
func unixOnly(list string) error {
	for _, a := range parseAddrs(list) {
		if a.transport != "unix" {
			return &TransportError{Addr: list, Transport: a.transport}
		}
	}
	return nil
}
