package auth

import (
	"context"
	"net/http"
	"net/url"
)

// Validity is the outcome of [Client.Verify].
type Validity int

const (
	Valid Validity = iota
	Rejected
	Unreachable
)

func (v Validity) String() string {
	switch v {
	case Valid:
		return "valid"
	case Rejected:
		return "rejected"
	}
	return "unreachable"
}

// Verify checks key with GET /v2/auth/whoami where it exists, else
// GET /v1/spaces?limit=1. A 401 (or 403) is Rejected; a connection failure is
// Unreachable with the underlying error.
//
// Valid and Rejected come with a nil error; a malformed key (empty, white
// space) is Rejected without a request. Any other answer (a 5xx, HTML) is
// Unreachable with the error, since it says nothing about the key. On heart
// <= v0.47 a revoked key the server already cached may still be Valid.
func (c *Client) Verify(ctx context.Context, key string) (Validity, error) {
	const op = "verifying key"
	if !validToken(key, maxKeyLen) {
		return Rejected, nil
	}
	req := request{op: op, method: http.MethodGet, path: "/v2/auth/whoami", bearer: key, secrets: []string{key}}
	r, err := c.do(ctx, req)
	if err != nil {
		return Unreachable, err
	}
	if r.status == http.StatusNotFound {
		// No whoami before 2026 heart. limit=1 because limit=0 fails the
		// pagination check before authentication runs.
		req.path, req.query = "/v1/spaces", url.Values{"limit": {"1"}}
		if r, err = c.do(ctx, req); err != nil {
			return Unreachable, err
		}
	}
	switch {
	case r.status >= 200 && r.status <= 299:
		return Valid, nil
	case r.status == http.StatusUnauthorized || r.status == http.StatusForbidden:
		return Rejected, nil
	}
	return Unreachable, checkResponse(op, r, nil, req.secrets)
}
