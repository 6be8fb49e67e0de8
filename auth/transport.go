package auth

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
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
type loopbackTransport struct {
	dialer net.Dialer
}

var errNotHTTP = errors.New("only plain http is supported on loopback")

func (t *loopbackTransport) Do(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "http" {
		return nil, errNotHTTP
	}
	ctx := req.Context()
	conn, err := t.dialer.DialContext(ctx, "tcp", canonicalAddr(req))
	if err != nil {
		return nil, err
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
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return fail(err)
	}
	resp.Body = &connBody{ReadCloser: resp.Body, conn: conn, stop: stop, ctx: ctx}
	return resp, nil
}

// canonicalAddr is host:port with the scheme's default port filled in.
func canonicalAddr(req *http.Request) string {
	if req.URL.Port() != "" {
		return req.URL.Host
	}
	return net.JoinHostPort(req.URL.Hostname(), "80")
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
		b.ReadCloser.Close()
		b.conn.Close()
	})
	return nil
}
