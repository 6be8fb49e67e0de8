package auth

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
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
	ck, err := c.Check(ctx, key)
	return ck.Validity, err
}

// CheckResult is what [Client.Check] learnt about a key.
type CheckResult struct {
	Validity Validity
	// Grant is what the server says the key may do: from /v2/auth/whoami
	// on newer servers; nil when the server did not say (older servers).
	Grant *Grant
	// V1Refused is set when the server refused the key on /v1 with 403
	// v1_not_available_for_scoped_keys: valid, but only on /v2.
	V1Refused bool
}

// V2Only reports whether a key with grant g works only on Anytype's /v2
// API: newer servers refuse a key on every /v1 route unless it is granted
// all spaces with read-write permission (docs/anytype-api.md §6). A
// grant that names no permission is taken as read-write: the servers
// always send one, and a guess must not warn for nothing.
func V2Only(g *Grant) bool {
	return g != nil && (!g.AllSpaces || g.Permission != "" && !strings.EqualFold(g.Permission, "readwrite"))
}

// codeScopedOnV1 is the error code of newer servers' 403 for a narrowly
// granted key on a /v1 route.
const codeScopedOnV1 = "v1_not_available_for_scoped_keys"

// Check is [Client.Verify] that also returns the key's grant when the
// server reports one, and recognises the 403 a scoped key gets on /v1 as
// a valid key that works only on /v2.
func (c *Client) Check(ctx context.Context, key string) (CheckResult, error) {
	const op = "verifying key"
	if !validToken(key, maxKeyLen) {
		return CheckResult{Validity: Rejected}, nil
	}
	req := request{op: op, method: http.MethodGet, path: "/v2/auth/whoami", bearer: key, secrets: []string{key}}
	r, err := c.do(ctx, req)
	if err != nil {
		return CheckResult{Validity: Unreachable}, err
	}
	whoami := r.status != http.StatusNotFound
	if !whoami {
		// No whoami before 2026 heart. limit=1 because limit=0 fails the
		// pagination check before authentication runs.
		req.path, req.query = "/v1/spaces", url.Values{"limit": {"1"}}
		if r, err = c.do(ctx, req); err != nil {
			return CheckResult{Validity: Unreachable}, err
		}
	}
	switch {
	case r.status >= 200 && r.status <= 299:
		res := CheckResult{Validity: Valid}
		if whoami {
			var body struct {
				Grant *Grant `json:"grant"`
			}
			if json.Unmarshal(r.body, &body) == nil {
				res.Grant = body.Grant
			}
		}
		return res, nil
	case r.status == http.StatusForbidden && !whoami:
		if code, _, ok := decodeError(r.body); ok && code == codeScopedOnV1 {
			return CheckResult{Validity: Valid, V1Refused: true}, nil
		}
		return CheckResult{Validity: Rejected}, nil
	case r.status == http.StatusUnauthorized || r.status == http.StatusForbidden:
		return CheckResult{Validity: Rejected}, nil
	}
	return CheckResult{Validity: Unreachable}, checkResponse(op, r, nil, req.secrets)
}
