package auth

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Validity is the outcome of [Client.Verify].
type Validity int

const (
	Valid Validity = iota
	Rejected
	Unreachable
	// Expired: the server answered 401 "api key expired" (newer heart,
	// keys made in Settings or by anytype-cli with an expiry). Copying the
	// key again cannot help: a new key is needed.
	Expired
)

func (v Validity) String() string {
	switch v {
	case Valid:
		return "valid"
	case Rejected:
		return "rejected"
	case Expired:
		return "expired"
	}
	return "unreachable"
}

// Verify checks key with GET /v2/auth/whoami where it exists, else
// GET /v1/spaces?limit=1. A 401 is Rejected (Expired when the server says
// the key expired); a 403 from whoami is asked again on /v1, since a
// Limited key is refused on /v2 but works on /v1. A connection failure is
// Unreachable with the underlying error.
//
// Valid, Rejected and Expired come with a nil error; a malformed key
// (empty, white space) is Rejected without a request. Any other answer (a
// 5xx, HTML) is Unreachable with the error, since it says nothing about the
// key. On heart <= v0.47 a revoked key the server already cached may still
// be Valid.
func (c *Client) Verify(ctx context.Context, key string) (Validity, error) {
	ck, err := c.Check(ctx, key)
	return ck.Validity, err
}

// CheckResult is what [Client.Check] learnt about a key.
type CheckResult struct {
	Validity Validity
	// Kind is legacy, scoped or Limited, as the server said (whoami's
	// grant, its /v2 scope gate, or the Anytype-Key-Status header);
	// KindUnknown on older servers.
	Kind Kind
	// Grant is what whoami says the key may do, when it said so clearly;
	// nil otherwise (older servers, legacy and Limited keys, a body not
	// understood). A nil Grant says nothing: callers keep the grant the
	// api_keys answer gave.
	Grant *Grant
	// V1Refused is set when the server refused the key on /v1 with 403
	// v1_not_available_for_scoped_keys: valid, but only on /v2.
	V1Refused bool
	// ExpiresAt is when the key stops working, from whoami (UTC); zero
	// when it never expires or the server did not say.
	ExpiresAt time.Time
	// Notice is the server's Anytype-Notice header (newer heart sends one
	// for legacy keys), cleaned like every server text; "" when none.
	Notice string
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

// Check is [Client.Verify] that also returns what the server says about
// the key: its kind, its grant (read from whoami in its own shape, never
// as the api_keys grant), its expiry and the server's notice. A scoped key
// whose whoami grant cannot be read is asked on /v1, whose 403
// v1_not_available_for_scoped_keys says it works only on /v2.
func (c *Client) Check(ctx context.Context, key string) (CheckResult, error) {
	const op = "verifying key"
	if !validToken(key, maxKeyLen) {
		return CheckResult{Validity: Rejected}, nil
	}
	secrets := []string{key}
	req := request{op: op, method: http.MethodGet, path: "/v2/auth/whoami", bearer: key, secrets: secrets}
	r, err := c.do(ctx, req)
	if err != nil {
		return CheckResult{Validity: Unreachable}, err
	}
	var res CheckResult
	askV1 := false
	switch {
	case r.status == http.StatusNotFound:
		askV1 = true // no whoami before 2026 heart
	case r.status >= 200 && r.status <= 299:
		w := decodeWhoami(r.body)
		res = CheckResult{Validity: Valid, Kind: w.kind, Grant: w.grant, ExpiresAt: w.expiresAt, Notice: sanitize(w.notice, secrets)}
		res.signals(r.header, secrets)
		// A scoped key whose grant whoami did not make clear: /v1 tells
		// whether it is served there.
		askV1 = res.Kind == KindScoped && res.Grant == nil
		if !askV1 {
			return res, nil
		}
	case r.status == http.StatusForbidden && isLimited(r.body):
		// The /v2 scope gate refuses a Limited key; /v1 serves it.
		res.Kind, askV1 = KindLimited, true
	case r.status == http.StatusForbidden && !isOriginRefused(r.body):
		askV1 = true // not the documented refusal: let /v1 decide
	}
	if !askV1 {
		return c.refused(op, r, req.secrets)
	}
	// limit=1 because limit=0 fails the pagination check before
	// authentication runs.
	req.path, req.query = "/v1/spaces", url.Values{"limit": {"1"}}
	v1, err := c.do(ctx, req)
	if err != nil {
		return CheckResult{Validity: Unreachable}, err
	}
	switch {
	case v1.status >= 200 && v1.status <= 299:
		res.Validity = Valid
		if res.Kind == KindScoped && res.Grant == nil {
			// /v1 serves a granted key only when the grant is all spaces
			// with read & write (its grant gate, §8.3 of the notes).
			res.Grant = &Grant{AllSpaces: true, Permission: "readwrite"}
		}
		res.signals(v1.header, secrets)
		return res, nil
	case v1.status == http.StatusForbidden:
		if code, _, ok := decodeError(v1.body); ok && code == codeScopedOnV1 {
			res.Validity, res.V1Refused = Valid, true
			if res.Kind == KindUnknown || res.Kind == KindLegacy {
				res.Kind = KindScoped
			}
			return res, nil
		}
	}
	return c.refused(op, v1, req.secrets)
}

// refused turns an answer that did not accept the key into a verdict: a
// 401 is Rejected (Expired when the server says so), a 403 other than
// the origin check is Rejected, anything else is Unreachable with the
// error, since it says nothing about the key.
func (c *Client) refused(op string, r *response, secrets []string) (CheckResult, error) {
	switch {
	case r.status == http.StatusUnauthorized && isExpired(r.body):
		return CheckResult{Validity: Expired}, nil
	case r.status == http.StatusUnauthorized,
		r.status == http.StatusForbidden && !isOriginRefused(r.body):
		return CheckResult{Validity: Rejected}, nil
	}
	return CheckResult{Validity: Unreachable}, checkResponse(op, r, nil, secrets)
}
