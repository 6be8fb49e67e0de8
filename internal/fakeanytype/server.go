package fakeanytype

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Schema generations, from the Anytype-Version header each heart release sends.
const (
	versionOldShapeBefore = "2025-04-22" // before this: {"error":{"message"}} bodies, session_token
	versionNewPaths       = "2025-05-20" // from this: challenges/api_keys
	versionOldPathsGone   = "2025-11-08" // from this: display_code/token answer 404
)

// ServeHTTP routes r the way the configured server generation would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.mcp != nil && strings.HasPrefix(r.URL.Path, "/mcp/") {
		s.serveMCP(w, r) // it reads the body itself, up to 8 MiB
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.record(r, body)
	if !s.delay(r.Context(), s.cfg.Latency) {
		return
	}
	s.mu.Lock()
	f := s.fault
	s.mu.Unlock()
	if s.serveFault(w, r, f) {
		return
	}
	// The header is set by global middleware on every response since heart
	// 0.40.3, 404s included; heart <= 0.40.2 sends none.
	if !s.cfg.Oldest {
		w.Header().Set("Anytype-Version", s.cfg.Version)
	}
	if s.newer() && !trustedOrigin(r) {
		s.apiError(w, http.StatusForbidden, "request origin is not allowed")
		return
	}
	newPaths := !s.cfg.Oldest && s.cfg.Version >= versionNewPaths
	oldPaths := s.cfg.Oldest || s.cfg.Version < versionOldPathsGone
	v2 := s.newer()
	route := r.Method + " " + r.URL.Path
	switch {
	case newPaths && (route == "POST /v1/auth/challenges" || v2 && route == "POST /v2/auth/challenges"):
		s.createChallenge(w, r, body)
	case newPaths && (route == "POST /v1/auth/api_keys" || v2 && route == "POST /v2/auth/api_keys"):
		s.createAPIKey(w, body)
	case oldPaths && route == "POST /v1/auth/display_code":
		s.displayCode(w, r)
	case oldPaths && route == "POST /v1/auth/token":
		s.token(w, r)
	case route == "GET /docs/openapi.json":
		s.openAPI(w)
	case route == "GET /v1/spaces":
		s.spaces(w, r)
	case s.cfg.Whoami && route == "GET /v2/auth/whoami":
		s.whoami(w, r)
	default:
		notFound(w)
	}
}

// newer reports whether the server models 2026 heart (approval, grants,
// whoami), which also checks Host and Origin.
func (s *Server) newer() bool {
	return s.cfg.NeedsApproval || s.cfg.Whoami || s.cfg.PrefixedKeys || s.cfg.Grant != nil
}

// oldShape reports whether errors use heart <= 0.40.19's {"error":{"message"}}.
func (s *Server) oldShape() bool {
	return s.cfg.Oldest || s.cfg.Version < versionOldShapeBefore
}

// oldStatus is what the old paths answer on success: the non-standard 299 on
// transition servers (commit 854c5e70d), 200 before.
func (s *Server) oldStatus() int {
	if !s.cfg.Oldest && s.cfg.Version >= versionNewPaths {
		return 299
	}
	return http.StatusOK
}

func (s *Server) record(r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Body:     bytes.Clone(body),
	})
}

// notFound is gin's default answer for an unknown route or a wrong method.
func notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusNotFound)
	io.WriteString(w, "404 page not found")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

var errorCodes = map[int]string{
	400: "bad_request",
	401: "unauthorized",
	403: "forbidden",
	404: "object_not_found",
	429: "rate_limit_exceeded",
}

// apiError writes the error body of the configured generation.
func (s *Server) apiError(w http.ResponseWriter, status int, msg string) {
	if s.oldShape() {
		writeJSON(w, status, map[string]any{"error": map[string]string{"message": msg}})
		return
	}
	code, ok := errorCodes[status]
	bodyStatus := status
	if !ok {
		code, bodyStatus = "internal_server_error", 500
	}
	writeJSON(w, status, map[string]any{"object": "error", "status": bodyStatus, "code": code, "message": msg})
}

// trustedOrigin is newer heart's ensureTrustedOrigin: the Host must be
// localhost or an IP literal, and a browser Origin must be loopback.
func trustedOrigin(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host != "localhost" && net.ParseIP(host) == nil {
		return false
	}
	origin, has := r.Header["Origin"]
	if !has {
		site := r.Header.Get("Sec-Fetch-Site")
		return site != "same-origin" && site != "same-site"
	}
	u, err := url.Parse(origin[0])
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return u.Hostname() == "localhost" || ip != nil && ip.IsLoopback()
}
