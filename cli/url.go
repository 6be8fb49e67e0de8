package cli

import (
	"errors"
	"net"
	"net/url"
	"syscall"
	"time"

	"github.com/anykey-app/anykey/auth"
)

// probeTimeout bounds the quick port check of the default URLs: loopback
// answers in microseconds, so a slow answer still means someone listens.
const probeTimeout = 300 * time.Millisecond

// resolveURL picks the API URL for a command that talks to Anytype:
// --api-url, else $ANYKEY_API_URL, else the first default URL that does not
// refuse a connection (the desktop app's, then anytype-cli's).
func (c *cli) resolveURL() (string, error) {
	if c.apiURL != "" {
		return normalizeURL("--api-url", c.apiURL)
	}
	if v := c.getenv(EnvAPIURL); v != "" {
		return normalizeURL(EnvAPIURL, v)
	}
	for _, u := range c.defaultURLs {
		if !refused(u, c.dialTimeout) {
			return u, nil
		}
	}
	// Nothing answers: report against the desktop app's address, where most
	// users expect Anytype to be.
	if len(c.defaultURLs) > 0 {
		return c.defaultURLs[0], nil
	}
	return auth.DesktopURL, nil
}

// urlError is an API URL that cannot be used. Its message never echoes the
// URL, which might carry a password in its user info.
type urlError struct {
	from string // "--api-url" or the variable's name
	err  error
}

func (e *urlError) Error() string { return e.from + ": " + e.err.Error() }
func (e *urlError) Unwrap() error { return e.err }

func normalizeURL(from, s string) (string, error) {
	u, err := auth.ParseBaseURL(s)
	if err != nil {
		return "", &urlError{from: from, err: err}
	}
	return u.String(), nil
}

// refused reports whether nothing listens at base's host and port. Only a
// refused connection counts: a timeout means something is there but slow,
// and the real request will say so.
func refused(base string, timeout time.Duration) bool {
	u, err := url.Parse(base)
	if err != nil {
		return true
	}
	if timeout <= 0 {
		timeout = probeTimeout
	}
	conn, err := net.DialTimeout("tcp", auth.DialAddr(u), timeout)
	if err != nil {
		return errors.Is(err, syscall.ECONNREFUSED)
	}
	conn.Close()
	return false
}

// client returns an Anytype client for base with anykey's User-Agent.
func (c *cli) client(base string) (*auth.Client, error) {
	return c.newClient(base, "anykey/"+c.version)
}
