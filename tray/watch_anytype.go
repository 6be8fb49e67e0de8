package tray

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/anykey-app/anykey/auth"
)

// Noticing Anytype stop without asking it every few seconds.
//
// A status probe costs about seven wake-ups of the tray (one TCP connect,
// one request, two waits, and the Go runtime's sysmon thread napping in
// 20 µs steps while any of that runs), so probing every 9 s alone cost
// 20-40 wake-ups per 30 s (docs/performance.md). While Anytype answers, the
// tray instead keeps one idle HTTP/1.1 keep-alive connection to it, the
// wire, and sleeps in a read on it: when Anytype stops, or its API server
// stops with the account, the kernel or the server closes the connection,
// the read returns at once and the tray probes. Anytype's server (Go's
// net/http) closes a kept-alive connection only when it has an idle
// timeout; it sets none (only ReadHeaderTimeout, which starts with the
// first byte of the next request), so the wire lasts as long as the server.
//
// The wire only wakes the tray: the status line still comes from
// auth.Client.Probe, and the wire's one request, GET / with no body, has
// no side effect and carries nothing secret (no key, no app name).
// A server that does not keep the connection open (Connection: close, an
// idle timeout shorter than wireMinLife) or does not answer GET / makes the
// tray probe every statusEvery instead, until Anytype is seen not running.

// Timing of the wire. Variables so tests can shorten them.
var (
	// wireRecheck is how often Anytype is probed while the wire is up:
	// only a server that hangs without closing its connections goes
	// unnoticed meanwhile.
	wireRecheck = time.Minute
	// wireMinLife is how long a wire must have lasted to be trusted
	// again; a server that closes it sooner is probed every statusEvery.
	wireMinLife = 30 * time.Second
)

// errWireClosed: the server answered but will not keep the connection.
var errWireClosed = errors.New("the server closes idle connections")

// wire is one idle keep-alive connection to Anytype's API.
type wire struct {
	conn net.Conn
	br   *bufio.Reader
	at   time.Time // when it was opened
}

// openWire connects to baseURL, sends GET / and reads the whole answer
// within wait. It returns the connection still open, or an error if the
// server did not answer or will close the connection.
func openWire(ctx context.Context, baseURL string, wait time.Duration) (*wire, error) {
	u, err := auth.ParseBaseURL(baseURL) // loopback only, like every request
	if err != nil {
		return nil, err
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	dctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(dctx, "tcp", host)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			conn.Close()
		}
	}()
	deadline, _ := dctx.Deadline()
	if err := conn.SetDeadline(deadline); err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodGet, u.String()+"/", nil)
	if err != nil {
		return nil, err
	}
	if err := req.Write(conn); err != nil {
		return nil, err
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return nil, err
	}
	// Read the body to its end so the connection is idle; a long one is
	// not what Anytype says to GET / and not worth keeping.
	n, err := io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case err != nil:
		return nil, err
	case n == 64<<10 || resp.Close:
		return nil, errWireClosed
	}
	if err := conn.SetDeadline(time.Time{}); err != nil {
		return nil, err
	}
	ok = true
	return &wire{conn: conn, br: br, at: time.Now()}, nil
}

// wait blocks until the server closes the wire (or sends anything at
// all, which an idle HTTP/1.1 server does not), then closes it.
func (w *wire) wait() {
	var b [1]byte
	w.br.Read(b[:])
	w.conn.Close()
}

// close ends the wire from our side; wait returns.
func (w *wire) close() { w.conn.Close() }
