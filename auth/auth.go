// Package auth is a small HTTP client for the pairing part of Anytype's local
// REST API. It has no UI: it never prints and never prompts.
//
// Start with [NewClient], then [Client.CreateChallenge] and
// [Client.CreateAPIKey]; [Client.Probe] tells which schema a server speaks
// without side effects, and [Client.Verify] checks a saved key.
//
// The client speaks every server generation: the challenges/api_keys paths
// of 2025-05-20 and later, and the display_code/token paths of 2025-04-22
// and older servers (see [Generation]). Any 2xx is success, because
// transition servers answer the old paths with HTTP 299.
package auth

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

const (
	// APIVersion is the Anytype-Version request header anykey sends.
	APIVersion = "2025-11-08"
	// DesktopURL is where Anytype's desktop app serves its API.
	DesktopURL = "http://127.0.0.1:31009"
	// CLIURL is where the headless anytype-cli serves its API.
	CLIURL = "http://127.0.0.1:31012"
	// DefaultTimeout bounds every call made without a shorter context deadline.
	DefaultTimeout = 10 * time.Second
	// MaxBodySize is the largest response body the client reads.
	MaxBodySize = 1 << 20
)

// Option configures a [Client].
type Option func(*Client) error

// WithHTTPClient makes the client use hc for every request. The client
// still never follows redirects, so a key cannot be sent elsewhere, but hc
// does not check who owns the listening socket: it is for tests only.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("nil http client")
		}
		cp := *hc
		cp.CheckRedirect = noRedirect
		c.hc = &cp
		return nil
	}
}

// WithUserAgent sets the User-Agent header (default "anykey/dev").
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if ua == "" || strings.ContainsAny(ua, "\r\n") {
			return errors.New("invalid user agent")
		}
		c.ua = ua
		return nil
	}
}

// WithTimeout sets the per-call deadline (default [DefaultTimeout]).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return errors.New("timeout must be positive")
		}
		c.timeout = d
		return nil
	}
}

// Client talks to one Anytype API base URL. It is safe for concurrent use.
type Client struct {
	base    *url.URL
	hc      doer
	ua      string
	timeout time.Duration

	mu     sync.Mutex
	server Server // last probe result; Generation GenUnknown until probed
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// NewClient returns a client for baseURL, which must pass [ParseBaseURL].
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	u, err := ParseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:    u,
		hc:      &loopbackTransport{trusted: trustedOwners()},
		ua:      "anykey/dev",
		timeout: DefaultTimeout,
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// BaseURL returns the normalised base URL, e.g. "http://127.0.0.1:31009".
func (c *Client) BaseURL() string { return c.base.String() }

// request is one call: what to send and which secrets must never show in an
// error built from it.
type request struct {
	op      string // gerund phrase for errors: "creating challenge"
	method  string
	path    string
	query   url.Values
	body    any    // JSON-encoded when non-nil
	bearer  string // Authorization: Bearer, when non-empty
	secrets []string
}

// response is a fully read answer (at most MaxBodySize bytes).
type response struct {
	status  int
	header  http.Header
	body    []byte
	version string // Anytype-Version response header
}

// newRequest builds the HTTP request with the headers every call carries.
// It never sets Origin: newer servers reject non-loopback origins and a
// native client has none.
func (c *Client) newRequest(ctx context.Context, r request) (*http.Request, error) {
	u := *c.base
	u.Path = r.path
	u.RawQuery = r.query.Encode()
	var body io.Reader
	if r.body != nil {
		b, err := encodeJSON(r.body)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Anytype-Version", APIVersion)
	if r.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	return req, nil
}

// do sends r under the client's deadline and reads the whole answer. Its
// errors carry no URL (the old schema puts the code in the query string).
func (c *Client) do(ctx context.Context, r request) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := c.newRequest(ctx, r)
	if err != nil {
		return nil, opError(r.op, err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, transportError(ctx, r.op, err)
	}
	defer resp.Body.Close()
	if resp.ContentLength > MaxBodySize {
		return nil, opError(r.op, ErrUnexpectedResponse, "body too large")
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodySize+1))
	if err != nil {
		if terr := transportError(ctx, r.op, err); errors.Is(terr, ErrTimeout) || errors.Is(terr, context.Canceled) {
			return nil, terr
		}
		return nil, opError(r.op, ErrUnexpectedResponse, "reading body: "+sanitize(cleanNetError(err), nil))
	}
	if len(body) > MaxBodySize {
		return nil, opError(r.op, ErrUnexpectedResponse, "body too large")
	}
	return &response{
		status:  resp.StatusCode,
		header:  resp.Header,
		body:    body,
		version: dateVersion(resp.Header.Get("Anytype-Version")),
	}, nil
}

// dateVersion returns v if it is a YYYY-MM-DD date, else "": any other
// Anytype-Version is treated as absent, so a server cannot put words in the
// tray's status line or in keys.json through it.
func dateVersion(v string) string {
	if isDateVersion(v) {
		return v
	}
	return ""
}

// cleanNetError returns the text of a network error without any URL.
func cleanNetError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Op + ": " + oe.Err.Error()
	}
	return err.Error()
}
