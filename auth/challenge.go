package auth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// Challenge is a started pairing; solve it with [Client.CreateAPIKey].
type Challenge struct {
	ID     string
	Server Server
}

// CreateChallenge starts exactly one challenge (probing once first if the
// schema is not yet known). It never retries: servers cap challenge
// creations per run (50 up to heart v0.47, until the desktop restarts), so a
// retry loop would lock the user out of pairing.
//
// appName is what the user later sees in Anytype's Settings → API Keys.
func (c *Client) CreateChallenge(ctx context.Context, appName string) (*Challenge, error) {
	const op = "creating challenge"
	if strings.TrimSpace(appName) == "" {
		return nil, opError(op, ErrBadRequest, "empty app name")
	}
	srv := c.cachedServer()
	if srv.Generation == GenUnknown {
		var err error
		if srv, err = c.Probe(ctx); err != nil {
			return nil, err
		}
	}
	req := request{op: op, method: http.MethodPost}
	if srv.Generation == GenCurrent {
		req.path = "/v1/auth/challenges"
		req.body = map[string]string{"app_name": appName}
	} else {
		// 2025-04-22 and older take the name in the query and no body.
		req.path = "/v1/auth/display_code"
		req.query = url.Values{"app_name": {appName}}
	}
	r, err := c.do(ctx, req)
	if err != nil {
		return nil, err
	}
	if r.status == http.StatusNotFound {
		// The server changed under us (Anytype updated since the probe; the
		// old paths went in anytype-heart commit 9879c0667): probe again on
		// the next explicit request, never here.
		c.setServer(Server{})
	}
	if err := checkResponse(op, r, ErrChallengeRefused, nil); err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.StatusCode == http.StatusTooManyRequests {
			ae.Kind = ErrRequestOpen
		}
		return nil, err
	}
	if !isJSON(r.header.Get("Content-Type")) {
		return nil, opError(op, ErrUnexpectedResponse, "content type "+sanitize(r.header.Get("Content-Type"), nil))
	}
	id, err := decodeChallenge(r.body)
	if err != nil {
		return nil, opError(op, ErrUnexpectedResponse, err.Error())
	}
	if r.version != "" {
		srv.APIVersion = r.version
	}
	return &Challenge{ID: id, Server: srv}, nil
}

// CreateAPIKey solves ch with code (exactly 4 digits, see [NormalizeCode]).
// A 500 answer is [ErrCodeRejected]; the same challenge may be tried again.
// The server does not say why it rejected a code: wrong, not yet approved
// in Anytype (newer servers), expired, or too many tries.
func (c *Client) CreateAPIKey(ctx context.Context, ch *Challenge, code string) (*Key, error) {
	const op = "creating api key"
	code, err := NormalizeCode(code)
	if err != nil {
		return nil, opError(op, err)
	}
	if ch == nil || !validToken(ch.ID, maxIDLen) {
		return nil, opError(op, ErrBadRequest, "no valid challenge")
	}
	srv := ch.Server
	if srv.Generation == GenUnknown {
		if srv = c.cachedServer(); srv.Generation == GenUnknown {
			if srv, err = c.Probe(ctx); err != nil {
				return nil, err
			}
		}
	}
	req := request{op: op, method: http.MethodPost, secrets: []string{code}}
	if srv.Generation == GenCurrent {
		// The code must be a JSON string: a number is a 400.
		req.path = "/v1/auth/api_keys"
		req.body = map[string]string{"challenge_id": ch.ID, "code": code}
	} else {
		req.path = "/v1/auth/token"
		req.query = url.Values{"challenge_id": {ch.ID}, "code": {code}}
	}
	r, err := c.do(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := checkResponse(op, r, ErrCodeRejected, req.secrets); err != nil {
		return nil, err
	}
	if !isJSON(r.header.Get("Content-Type")) {
		return nil, opError(op, ErrUnexpectedResponse, "content type "+sanitize(r.header.Get("Content-Type"), nil))
	}
	kr, err := decodeKey(r.body)
	if err != nil {
		return nil, opError(op, ErrUnexpectedResponse, err.Error())
	}
	version := r.version
	if version == "" {
		version = srv.APIVersion
	}
	return &Key{Secret: kr.Secret, Grant: kr.Grant, APIVersion: version}, nil
}
