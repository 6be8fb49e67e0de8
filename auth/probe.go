package auth

import (
	"context"
	"net/http"
)

// Generation is the pairing schema a server speaks.
type Generation int

const (
	GenUnknown Generation = iota
	// GenOldest: heart <= 0.40.19, header absent, 2025-02-12 or 2025-03-17.
	GenOldest
	// GenLegacy: 2025-04-22, display_code/token with app_key only.
	GenLegacy
	// GenCurrent: 2025-05-20, 2025-11-08 and newer: challenges/api_keys.
	GenCurrent
)

func (g Generation) String() string {
	switch g {
	case GenOldest:
		return "oldest"
	case GenLegacy:
		return "legacy"
	case GenCurrent:
		return "current"
	}
	return "unknown"
}

// Server describes what a probe learned about a running server.
type Server struct {
	// APIVersion is the Anytype-Version response header ("" when absent).
	APIVersion string
	Generation Generation
}

// isDateVersion reports whether v looks like YYYY-MM-DD. It is hand-written
// rather than a regexp because package init runs on every CLI command and
// `anykey get` has a start-up budget (docs/performance.md).
func isDateVersion(v string) bool {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return false
	}
	for i := 0; i < len(v); i++ {
		if i != 4 && i != 7 && (v[i] < '0' || v[i] > '9') {
			return false
		}
	}
	return true
}

// generationOf maps an Anytype-Version response header to its schema.
// Versions are dates, so later unknown versions compare as current.
func generationOf(version string) Generation {
	switch {
	case !isDateVersion(version):
		return GenUnknown
	case version >= "2025-05-20":
		return GenCurrent
	case version >= "2025-04-22":
		return GenLegacy
	}
	return GenOldest
}

// Probe finds out which schema the server speaks without creating a
// challenge: it reads the Anytype-Version response header, else uses the
// side-effect-free probe (POST /v1/auth/challenges with {}).
//
// The body {} has no app_name, so current servers answer 400 "missing app
// name" before any challenge exists; servers without that route answer 404.
// Every server since heart 0.40.3 sends the version header on both, so one
// request is enough; only heart <= 0.40.2 (no header) takes a second one,
// POST /v1/auth/display_code without app_name, which also answers 400. It is
// cheap enough to run as a periodic status check.
func (c *Client) Probe(ctx context.Context) (Server, error) {
	const op = "probing anytype"
	r, err := c.do(ctx, request{op: op, method: http.MethodPost, path: "/v1/auth/challenges", body: struct{}{}})
	if err != nil {
		return Server{}, err
	}
	srv := Server{APIVersion: r.version, Generation: generationOf(r.version)}
	if srv.Generation == GenUnknown && r.status == http.StatusNotFound {
		r, err = c.do(ctx, request{op: op, method: http.MethodPost, path: "/v1/auth/display_code"})
		if err != nil {
			return Server{}, err
		}
		srv = Server{APIVersion: r.version, Generation: generationOf(r.version)}
		if srv.Generation == GenUnknown && r.status == http.StatusBadRequest {
			srv.Generation = GenOldest
		}
	} else if srv.Generation == GenUnknown && r.status == http.StatusBadRequest {
		// Something between us and Anytype dropped the header, but the route
		// exists and checked the app name.
		if _, msg, ok := decodeError(r.body); ok && msg == "missing app name" {
			srv.Generation = GenCurrent
		}
	}
	if srv.Generation == GenUnknown {
		c.setServer(Server{})
		if err := checkResponse(op, r, nil, nil); err != nil {
			return Server{}, err
		}
		return Server{}, &APIError{Op: op, StatusCode: r.status, Kind: ErrUnexpectedResponse,
			Message: "not an anytype api"}
	}
	c.setServer(srv)
	return srv, nil
}

func (c *Client) setServer(s Server) {
	c.mu.Lock()
	c.server = s
	c.mu.Unlock()
}

func (c *Client) cachedServer() Server {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.server
}
