package auth

import (
	"context"
	"net"
	"net/http"
	"strings"
	"time"
)

// RoundTripper returns a transport for libraries that take an
// *http.Client (the MCP SDK's Streamable HTTP client in
// handoff/mcpbridge), with the guarantees of anykey's own API client:
// plain HTTP only, no proxy from the environment, "localhost" dialled as
// 127.0.0.1, and nothing sent to a listener another user owns
// ([ListenerError], checked on each new connection before a byte is
// written). Unlike the API client's one-shot connections it keeps
// connections alive: an MCP session sends many small messages, and the
// owner check reads the kernel's socket tables, which costs milliseconds
// on a machine with many sockets. A connection's peer cannot change, so
// one check per connection is enough.
//
// The *http.Client around it must not follow redirects.
func RoundTripper() http.RoundTripper {
	trusted := trustedOwners()
	var d net.Dialer
	return httpOnly{&http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if host, port, err := net.SplitHostPort(addr); err == nil && strings.EqualFold(host, "localhost") {
				addr = net.JoinHostPort("127.0.0.1", port)
			}
			conn, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			if err := checkListener(conn, trusted); err != nil {
				conn.Close()
				return nil, err
			}
			return conn, nil
		},
		DialTLSContext: func(context.Context, string, string) (net.Conn, error) {
			return nil, errNotHTTP
		},
		MaxIdleConnsPerHost:    16, // 8 calls in flight, notifications beside them
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: MaxHeadSize,
		DisableCompression:     true,
	}}
}

// httpOnly refuses every scheme but plain http before anything is dialled.
type httpOnly struct{ t *http.Transport }

func (h httpOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Scheme != "http" {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, errNotHTTP
	}
	return h.t.RoundTrip(r)
}
