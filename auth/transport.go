package auth

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// doer sends one request. *http.Client satisfies it (see [WithHTTPClient]);
// the default is [loopbackTransport].
type doer interface {
	Do(*http.Request) (*http.Response, error)
}

// loopbackTransport is a minimal HTTP/1.1 client for the one kind of server
// anykey talks to: plain HTTP on this machine. Each request dials a fresh
// TCP connection, writes the request with net/http's own writer, reads the
// answer with net/http's own parser, and closes the connection with the body.
//
// Why not http.Client: its Transport links crypto/tls and x509 (about 2 MB),
// which a loopback-only client never uses, and the whole binary has an 8 MB
// budget (docs/performance.md). It also means no proxy from the environment
// and no redirect is ever followed, so a key cannot leave the machine.
//
// Before it writes a byte it checks who owns the listening socket it
// reached (see [checkListener]): another user's program that took the port
// first gets no request, so never a code or a key.
type loopbackTransport struct {
	dialer net.Dialer
	// trusted lists the owners besides this user that may get requests
	// ([EnvTrustListenerOwner]).
	trusted []string
	// check is checkListener; tests of the transport replace it.
	check func(net.Conn, []string) error
}

// MaxHeadSize is the largest response head (status line and headers) the
// client reads, in bytes. Anytype's heads are a few hundred bytes; the cap
// stops a server that streams an endless header.
const MaxHeadSize = 64 << 10

// errHeadTooLarge: the response head passed [MaxHeadSize].
var errHeadTooLarge = errors.New("response header too large")

var errNotHTTP = errors.New("only plain http is supported on loopback")

func (t *loopbackTransport) Do(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "http" {
		return nil, errNotHTTP
	}
	ctx := req.Context()
	conn, err := t.dialer.DialContext(ctx, "tcp", DialAddr(req.URL))
	if err != nil {
		return nil, err
	}
	check := t.check
	if check == nil {
		check = checkListener
	}
	if err := check(conn, t.trusted); err != nil {
		conn.Close()
		return nil, err
	}
	if d, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(d) // belt and braces with the AfterFunc below
	}
	// Close the connection when the context ends, so a server that stops
	// answering mid-body cannot hold the caller past its deadline.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	fail := func(err error) (*http.Response, error) {
		stop()
		conn.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	req.Close = true // one request per connection: "Connection: close"
	if err := req.Write(conn); err != nil {
		return fail(err)
	}
	head := &headLimit{r: conn, left: MaxHeadSize}
	resp, err := http.ReadResponse(bufio.NewReader(head), req)
	if err != nil {
		if head.left <= 0 {
			err = errHeadTooLarge
		}
		return fail(err)
	}
	head.left = -1 // the body has its own cap (MaxBodySize)
	resp.Body = &connBody{ReadCloser: resp.Body, conn: conn, stop: stop, ctx: ctx}
	return resp, nil
}

// DialAddr is the host:port to connect to for an API URL, with the
// scheme's default port filled in. "localhost" means 127.0.0.1 and is never
// looked up: a hosts file or resolver could point it anywhere, and on
// dual-stack machines "localhost" may be ::1, where another program listens.
// Write [::1] to use IPv6.
func DialAddr(u *url.URL) string {
	host, port := u.Hostname(), u.Port()
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "80"
	}
	return net.JoinHostPort(host, port)
}

// headLimit passes reads through until left bytes were read, then fails
// with errHeadTooLarge; left < 0 means no limit.
type headLimit struct {
	r    io.Reader
	left int
}

func (h *headLimit) Read(p []byte) (int, error) {
	if h.left < 0 {
		return h.r.Read(p)
	}
	if h.left == 0 {
		return 0, errHeadTooLarge
	}
	if len(p) > h.left {
		p = p[:h.left]
	}
	n, err := h.r.Read(p)
	h.left -= n
	return n, err
}

// connBody closes the connection along with the body, and reports the
// context's error when a read failed because the context closed the
// connection.
type connBody struct {
	io.ReadCloser
	conn net.Conn
	stop func() bool
	ctx  context.Context
	once sync.Once
}

func (b *connBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF && b.ctx.Err() != nil {
		return n, b.ctx.Err()
	}
	return n, err
}

func (b *connBody) Close() error {
	b.once.Do(func() {
		b.stop()
		// The connection first: net/http's body Close reads an unread
		// chunked or sized body to its end, which a server streaming
		// without end makes last until the deadline.
		b.conn.Close()
		b.ReadCloser.Close()
	})
	return nil
}
