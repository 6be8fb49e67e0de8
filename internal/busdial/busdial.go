// Package busdial connects to the D-Bus session bus with a deadline on the
// handshake. godbus's session bus calls (dbus.SessionBus,
// dbus.ConnectSessionBus) take no deadline, and a socket that accepts and
// never answers — a dead session's address left in the environment,
// another program listening on the path — holds them for ever: the tray
// then never starts and every keychain call waits out the keychain
// timeout, which is sized for a person answering an unlock prompt. A bus
// completes its handshake (SASL, Hello) in milliseconds.
package busdial

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
)

// Handshake is how long connecting to the session bus may take, from
// dialing to the answer to Hello.
const Handshake = 5 * time.Second

// SilentError is a session bus that accepted the connection, or did not
// refuse it, but did not finish the handshake within After.
type SilentError struct {
	Addr  string // the bus address tried, as the environment gave it
	After time.Duration
}

func (e *SilentError) Error() string {
	return fmt.Sprintf("the D-Bus session bus at %q did not answer within %s", shownAddr(e.Addr), e.After)
}

// maxShown is how much of an address a message repeats: the environment
// can hold any length.
const maxShown = 120

// ErrNoAddress: the environment names no session bus (see [Address]).
var ErrNoAddress = errors.New("DBUS_SESSION_BUS_ADDRESS is not set and $XDG_RUNTIME_DIR/bus is not a socket")

// Address is the session bus address the environment names, as godbus
// reads it: DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus when that
// is a socket; "" when there is none. "autolaunch:" names none: it asks
// for a new bus to be started.
func Address() string {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return a
	}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		p := filepath.Join(d, "bus")
		if fi, err := os.Stat(p); err == nil && fi.Mode()&fs.ModeSocket != 0 {
			return "unix:path=" + p
		}
	}
	return ""
}

// Connect opens a new private connection to the bus at addr, giving up
// after [Handshake] or when ctx ends. It never starts a bus (godbus's
// autolaunch runs dbus-launch, and a new, empty bus has no keychain and no
// tray host). The caller closes the connection; its lifetime is bounded by
// ctx. The error is a *[TransportError], before anything is dialed, when
// an entry of addr is not a Unix socket (Linux); a *[ForeignError] when
// the bus is run by another user (Linux: the socket's peer credentials),
// whether or not it let anykey in; a *[SilentError] when the handshake ran
// out of time; else godbus's.
func Connect(ctx context.Context, addr string) (*dbus.Conn, error) {
	if err := preflight(addr); err != nil {
		return nil, err
	}
	cctx, cancel := context.WithCancel(ctx)
	// godbus closes the connection when its context ends, which also
	// breaks off a handshake that is stuck reading.
	timer := time.AfterFunc(Handshake, cancel)
	before := unixSockets()
	conn, err := dbus.Connect(addr, dbus.WithContext(cctx))
	inTime := timer.Stop()
	if !inTime && ctx.Err() == nil {
		// Too late, even if it just made it: the timer closed it.
		if conn != nil {
			conn.Close()
		}
		cancel()
		return nil, &SilentError{Addr: addr, After: Handshake}
	}
	if err != nil {
		cancel()
		return nil, err
	}
	context.AfterFunc(conn.Context(), cancel) // release cctx with the connection
	if err := checkBusOwner(addr, before); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// retryAfter is how long a failed connection of [Shared] is reported
// again without another attempt: one command, which may ask the keychain
// several times, waits for a bad bus once; a long-running tray tries again
// later.
const retryAfter = 10 * time.Second

var shared struct {
	mu     sync.Mutex
	conn   *dbus.Conn
	dial   *attempt // in flight, nil when none
	failed *attempt // the last attempt, when it failed
}

type attempt struct {
	addr  string
	start time.Time
	done  chan struct{}
	conn  *dbus.Conn
	err   error
}

// Shared returns godbus's shared session bus connection, the one
// dbus.SessionBus returns and go-keyring, fyne.io/systray and beeep use,
// connecting it first if need be. With no address in the environment it
// returns [ErrNoAddress] and starts no bus (godbus would autolaunch one
// with dbus-launch: a new, empty bus has no keychain on it). A handshake
// that takes longer than [Handshake] returns a *[SilentError]; the attempt
// goes on in the background, and later calls wait for that same attempt,
// up to Handshake after it began, instead of starting another. An address
// that is not a Unix socket is a *[TransportError] and is not dialed. A
// bus run by another user is a *[ForeignError], whether it let anykey in
// (the connection is then closed) or not. A failed attempt is reported
// again, without a new one, for 10 s. When DBUS_SESSION_BUS_ADDRESS is
// unset (or "autolaunch:") it sets it to the address it checks, so that
// godbus dials that one.
func Shared() (*dbus.Conn, error) {
	shared.mu.Lock()
	if c := shared.conn; c != nil && c.Connected() {
		shared.mu.Unlock()
		return c, nil
	}
	addr := Address()
	if addr == "" {
		shared.mu.Unlock()
		return nil, ErrNoAddress
	}
	if f := shared.failed; f != nil && f.addr == addr && time.Since(f.start) < retryAfter {
		shared.mu.Unlock()
		return nil, f.err
	}
	// An attempt in flight is waited for even if the environment now names
	// another address: godbus makes one shared connection at a time.
	a := shared.dial
	if a == nil {
		a = &attempt{addr: addr, start: time.Now(), done: make(chan struct{})}
		shared.dial = a
		go func() {
			var before map[uint64]int
			if a.err = preflight(a.addr); a.err == nil {
				pointGodbus(a.addr)
				before = unixSockets()
				a.conn, a.err = dbus.SessionBus()
			}
			if a.err == nil {
				if err := checkBusOwner(a.addr, before); err != nil {
					// Closed, so that no caller of dbus.SessionBus
					// (go-keyring) gets it; the next attempt dials again.
					a.conn.Close()
					a.conn, a.err = nil, err
				}
			}
			shared.mu.Lock()
			shared.dial = nil
			if a.err == nil {
				shared.conn, shared.failed = a.conn, nil
			}
			shared.mu.Unlock()
			close(a.done)
		}()
	}
	shared.mu.Unlock()
	// Measured from the attempt's start: once a bus has been silent for
	// Handshake, the next caller is told so at once.
	t := time.NewTimer(time.Until(a.start.Add(Handshake)))
	defer t.Stop()
	select {
	case <-a.done:
		if a.err != nil {
			shared.mu.Lock()
			shared.failed = a
			shared.mu.Unlock()
		}
		return a.conn, a.err
	case <-t.C:
		err := &SilentError{Addr: a.addr, After: Handshake}
		shared.mu.Lock()
		shared.failed = &attempt{addr: a.addr, start: a.start, err: err}
		shared.mu.Unlock()
		return nil, err
	}
}

// pointGodbus makes addr, which [Address] found and [preflight] passed,
// the one godbus's dbus.SessionBus dials. When it came from
// $XDG_RUNTIME_DIR/bus, godbus would find its own (conn_other.go
// tryDiscoverDbusSessionBusAddress): /run/user/<uid>/bus, then the
// address in /run/user/<uid>/dbus-session, then a new bus from
// dbus-launch — not the bus checked when XDG_RUNTIME_DIR is elsewhere
// (systems without logind). godbus sets the variable itself when it finds
// an address; with it set, every library's dbus.SessionBus (go-keyring,
// systray, beeep) dials the checked one. A refused address is not set.
func pointGodbus(addr string) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != addr {
		os.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	}
}

// preflight is what is known of the bus at addr before a byte is sent to
// it: a *[TransportError] when an entry is not a Unix socket, a
// *[ForeignError] when another user listens at one of its sockets
// ([foreignListener]), else nil. A bus of another user is named the same
// way whether it would have let anykey in, refused its authentication (a
// session bus's default policy), or never answered. The check of the
// connection itself ([checkBusOwner]) still follows the dial: a listener
// can change between the two.
func preflight(addr string) error {
	if err := checkTransport(addr); err != nil {
		return err
	}
	return foreignListener(addr)
}

// IsSilent reports whether err is, or wraps, a *[SilentError].
func IsSilent(err error) bool {
	var s *SilentError
	return errors.As(err, &s)
}
