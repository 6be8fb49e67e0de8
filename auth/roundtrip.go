package auth

import "net/http"

// RoundTripper returns the transport of anykey's own API client as an
// [http.RoundTripper], for libraries that take an *http.Client (the MCP
// SDK's Streamable HTTP client in handoff/mcpbridge): plain HTTP to this
// machine only, one connection per request, no proxy from the environment,
// and nothing sent to a listener another user owns ([ListenerError]). The
// *http.Client around it must not follow redirects.
func RoundTripper() http.RoundTripper {
	return roundTripper{&loopbackTransport{trusted: trustedOwners()}}
}

type roundTripper struct{ t *loopbackTransport }

// RoundTrip sends r on a connection of its own. A RoundTripper must not
// change the caller's request, and Do marks it "Connection: close", so it
// gets a shallow copy.
func (rt roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	c := *r
	return rt.t.Do(&c)
}
