package fakeanytype

// Anytype's own MCP endpoint, as newer heart serves it (the project's
// notes, docs/anytype-api.md §6 "Anytype's own MCP endpoint" and
// docs/mcp-serve.md; the facts are those of anytype-auth-api.md §8.5): POST /mcp/{small,large,full}, Streamable HTTP
// with JSON responses only, behind the same middleware as /v2 (trusted
// origin, then the key). The MCP protocol itself is the official Go SDK's
// server side; this file adds only what Anytype puts around it: tiers,
// authentication, sessions bound to a key and a tier, and the limits.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Anytype's limits on its MCP endpoint (§8.5).
const (
	mcpBodyLimit      = 8 << 20          // bytes per request body; more: 413
	mcpBodyTime       = 10 * time.Second // for the body to arrive; later: 408
	mcpCallTime       = 60 * time.Second // per call
	mcpCallsPerKey    = 8                // calls in flight per key; more: 429
	mcpSessionsAll    = 64               // sessions in all; more: 429
	mcpSessionsPerKey = 8                // sessions per key; more: 429
	mcpIdle           = 30 * time.Minute // an idle session ends
)

// mcpProtocolVersions are the MCP-Protocol-Version values Anytype accepts;
// any other value answers 400.
var mcpProtocolVersions = []string{"2025-11-25", "2025-06-18"}

type mcpSession struct{ key, tier string }

// mcpEndpoint is the state of the MCP endpoint of one fake server.
type mcpEndpoint struct {
	s     *Server
	tiers map[string]*mcp.StreamableHTTPHandler

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced when calls start or end
	sessions  map[string]mcpSession
	calls     map[string]int // calls in flight per key
	peak      int            // most calls in flight for one key at once
	held      chan struct{}  // non-nil: tool calls wait until it is closed
	cancelled int            // tool calls whose context ended while held
	refuse    int            // non-zero: every POST answers this status
	refuseMsg string
}

func newMCPEndpoint(s *Server) *mcpEndpoint {
	ep := &mcpEndpoint{s: s, tiers: map[string]*mcp.StreamableHTTPHandler{},
		sessions: map[string]mcpSession{}, calls: map[string]int{}, changed: make(chan struct{})}
	for tier, tools := range mcpTierTools {
		srv := mcp.NewServer(&mcp.Implementation{Name: "anytype", Version: "0.51.3-fake"},
			&mcp.ServerOptions{SupportedProtocolVersions: mcpProtocolVersions})
		ep.addTools(srv, tools)
		ep.tiers[tier] = mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv },
			&mcp.StreamableHTTPOptions{
				JSONResponse:        true,
				Stateless:           tier == "full",
				SessionTimeout:      mcpIdle,
				MaxRequestBodyBytes: mcpBodyLimit,
			})
	}
	return ep
}

// serveMCP answers a request to /mcp/… in the order Anytype's middleware
// does: the route, the origin, the key, then the endpoint's own checks.
func (s *Server) serveMCP(w http.ResponseWriter, r *http.Request) {
	ep := s.mcp
	tier := strings.TrimPrefix(r.URL.Path, "/mcp/")
	h, ok := ep.tiers[tier]
	if !ok {
		s.record(r, nil)
		notFound(w) // an unknown tier is an unknown route
		return
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(mcpBodyTime))
	body, readErr := io.ReadAll(io.LimitReader(r.Body, mcpBodyLimit+1))
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
	w.Header().Set("Anytype-Version", s.cfg.Version)
	if !trustedOrigin(r) {
		s.apiError(w, http.StatusForbidden, "request origin is not allowed")
		return
	}
	info, ok := s.authenticate(challengeWriter{w, r}, r)
	if !ok || !s.jsonAPIScope(w, info) {
		return
	}
	key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch {
	case errors.Is(readErr, os.ErrDeadlineExceeded):
		s.apiError(w, http.StatusRequestTimeout, "request body not received in time")
		return
	case readErr != nil:
		s.apiError(w, http.StatusBadRequest, "reading the request body failed")
		return
	case len(body) > mcpBodyLimit:
		s.apiError(w, http.StatusRequestEntityTooLarge, "request body too large")
		return
	}
	ep.mu.Lock()
	status, msg := ep.refuse, ep.refuseMsg
	ep.mu.Unlock()
	if status != 0 && r.Method == http.MethodPost {
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="anytype", error="invalid_token"`)
		}
		s.apiError(w, status, msg)
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodDelete {
		w.Header().Set("Allow", "POST, DELETE")
		s.apiError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if v := r.Header.Get("Mcp-Protocol-Version"); v != "" && !contains(mcpProtocolVersions, v) {
		s.apiError(w, http.StatusBadRequest, "unsupported MCP-Protocol-Version")
		return
	}
	if sid := r.Header.Get("Mcp-Session-Id"); sid != "" && tier != "full" {
		ep.mu.Lock()
		sess, ok := ep.sessions[sid]
		ep.mu.Unlock()
		if !ok || sess.key != key || sess.tier != tier {
			http.Error(w, "session not found", http.StatusNotFound)
			return
		}
	}
	var call *jsonrpc.Request
	if r.Method == http.MethodPost {
		if b := bytes.TrimLeft(body, " \t\r\n"); len(b) > 0 && b[0] == '[' {
			writeJSON(w, http.StatusBadRequest, map[string]any{"jsonrpc": "2.0", "id": nil,
				"error": map[string]any{"code": jsonrpc.CodeInvalidRequest, "message": "batch requests are not supported"}})
			return
		}
		if m, err := jsonrpc.DecodeMessage(body); err == nil {
			if req, ok := m.(*jsonrpc.Request); ok && req.IsCall() {
				call = req
			}
		}
	}
	if call != nil {
		if call.Method == "initialize" && tier != "full" && !ep.sessionRoom(key) {
			s.apiError(w, http.StatusTooManyRequests, "too many MCP sessions")
			return
		}
		if !ep.startCall(key) {
			s.apiError(w, http.StatusTooManyRequests, "too many MCP calls in flight for this key")
			return
		}
		defer ep.endCall(key)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	sw := &sessionWriter{ResponseWriter: w}
	h.ServeHTTP(sw, r)
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if id := sw.Header().Get("Mcp-Session-Id"); id != "" && tier != "full" && call != nil && call.Method == "initialize" {
		ep.sessions[id] = mcpSession{key: key, tier: tier}
	}
	if r.Method == http.MethodDelete && sw.status < 300 {
		delete(ep.sessions, r.Header.Get("Mcp-Session-Id"))
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// sessionRoom reports whether key may open another session.
func (ep *mcpEndpoint) sessionRoom(key string) bool {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	mine := 0
	for _, sess := range ep.sessions {
		if sess.key == key {
			mine++
		}
	}
	return len(ep.sessions) < mcpSessionsAll && mine < mcpSessionsPerKey
}

func (ep *mcpEndpoint) startCall(key string) bool {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if ep.calls[key] >= mcpCallsPerKey {
		return false
	}
	ep.calls[key]++
	ep.peak = max(ep.peak, ep.calls[key])
	close(ep.changed)
	ep.changed = make(chan struct{})
	return true
}

func (ep *mcpEndpoint) endCall(key string) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	ep.calls[key]--
	close(ep.changed)
	ep.changed = make(chan struct{})
}

// challengeWriter adds the WWW-Authenticate challenge newer heart sends
// with each 401 (§8.3): a bare realm when no key was sent, error=
// "invalid_token" for a key it refused.
type challengeWriter struct {
	http.ResponseWriter
	r *http.Request
}

func (c challengeWriter) WriteHeader(status int) {
	if status == http.StatusUnauthorized && c.Header().Get("WWW-Authenticate") == "" {
		v := `Bearer realm="anytype"`
		if _, has := c.r.Header["Authorization"]; has {
			v += `, error="invalid_token"`
		}
		c.Header().Set("WWW-Authenticate", v)
	}
	c.ResponseWriter.WriteHeader(status)
}

// sessionWriter remembers the status the SDK's handler wrote.
type sessionWriter struct {
	http.ResponseWriter
	status int
}

func (w *sessionWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *sessionWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets the SDK's handler flush through the wrapper.
func (w *sessionWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// EndMCPSessions ends every MCP session, as an idle timeout or a restart of
// Anytype does: the next request with one of their ids answers 404.
func (s *Server) EndMCPSessions() {
	ep := s.mcp
	ep.mu.Lock()
	ended := ep.sessions
	ep.sessions = map[string]mcpSession{}
	ep.mu.Unlock()
	for id, sess := range ended {
		req := httptest.NewRequest(http.MethodDelete, "/mcp/"+sess.tier, nil)
		req.Header.Set("Mcp-Session-Id", id)
		ep.tiers[sess.tier].ServeHTTP(httptest.NewRecorder(), req)
	}
}

// MCPSessions returns how many MCP sessions are open.
func (s *Server) MCPSessions() int {
	s.mcp.mu.Lock()
	defer s.mcp.mu.Unlock()
	return len(s.mcp.sessions)
}

// MCPPeak returns the most MCP calls that were in flight at once for one key.
func (s *Server) MCPPeak() int {
	s.mcp.mu.Lock()
	defer s.mcp.mu.Unlock()
	return s.mcp.peak
}

// HoldMCPCalls makes every tool call wait until release is called (or the
// call's context ends, which [Server.MCPCancelled] counts).
func (s *Server) HoldMCPCalls() (release func()) {
	ep := s.mcp
	held := make(chan struct{})
	ep.mu.Lock()
	ep.held = held
	ep.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			ep.mu.Lock()
			ep.held = nil
			ep.mu.Unlock()
			close(held)
		})
	}
}

// WaitMCPCalls waits until n calls of any key are in flight at once.
func (s *Server) WaitMCPCalls(ctx context.Context, n int) error {
	ep := s.mcp
	for {
		ep.mu.Lock()
		total := 0
		for _, c := range ep.calls {
			total += c
		}
		wait := ep.changed
		ep.mu.Unlock()
		if total >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wait:
		}
	}
}

// MCPCancelled returns how many held tool calls ended by cancellation.
func (s *Server) MCPCancelled() int {
	s.mcp.mu.Lock()
	defer s.mcp.mu.Unlock()
	return s.mcp.cancelled
}

// RefuseMCP makes every later MCP POST with a valid key answer status with
// Anytype's error body carrying msg, until RefuseMCP(0, "").
func (s *Server) RefuseMCP(status int, msg string) {
	s.mcp.mu.Lock()
	s.mcp.refuse, s.mcp.refuseMsg = status, msg
	s.mcp.mu.Unlock()
}
