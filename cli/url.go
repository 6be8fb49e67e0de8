package cli

import (
	"net"
	"net/url"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/keystore"
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

// checkAPIURL refuses a --api-url that is not a loopback http URL, for
// every command, also those that never call Anytype: a mistyped or foreign
// address must not pass silently. When ok is false, the problem was
// reported and code is the exit status.
func (c *cli) checkAPIURL() (code int, ok bool) {
	if c.apiURL == "" {
		return 0, true
	}
	u, err := normalizeURL("--api-url", c.apiURL)
	if err != nil {
		return c.fail(err, where{}), false
	}
	c.apiURL = u
	return 0, true
}

// urlFor is the API URL to use with a saved key: --api-url for this run
// when given, else the URL the key was saved with.
func (c *cli) urlFor(e keystore.Entry) string {
	if c.apiURL != "" {
		return c.apiURL
	}
	if e.APIURL == "" {
		return auth.DesktopURL
	}
	return e.APIURL
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
		return auth.IsRefused(err)
	}
	conn.Close()
	return false
}

// client returns an Anytype client for base with anykey's User-Agent.
func (c *cli) client(base string) (*auth.Client, error) {
	return c.newClient(base, "anykey/"+c.version)
}

// cmdSetURL changes the API URL saved with a key, for when Anytype moved
// (the desktop app's 31009, anytype-cli's 31012, a changed port).
func (c *cli) cmdSetURL(args []string) int {
	pos, err := c.flags(newFlags("set-url"), args, 2, 2)
	if err != nil {
		return parseExit(err)
	}
	name := pos[0]
	w := where{name: name}
	u, err := normalizeURL("URL", pos[1])
	if err != nil {
		return c.fail(err, w)
	}
	e, secret, err := c.secretFor(name)
	if err != nil {
		return c.fail(err, w)
	}
	if e.APIURL == u {
		c.say("key %q already uses %s", e.Name, u)
		return exitOK
	}
	e.APIURL = u
	st, err := c.store()
	if err != nil {
		return c.fail(err, w)
	}
	if err := st.Set(c.ctx, e, secret, true); err != nil {
		return c.fail(err, w)
	}
	c.say("key %q now uses %s", e.Name, u)
	c.hint("anykey verify %s checks it there", quoteArg(e.Name))
	return exitOK
}
