// Package fakeanytype is a fake of Anytype's local REST API for tests and
// scripts, built only from the facts in the project's notes on how the real
// servers behave (never from server code). It speaks every pairing schema:
// 2025-11-08 and 2025-05-20 (challenges/api_keys; 2025-05-20 also answers the
// old paths with HTTP 299), 2025-04-22 and older (display_code/token), plus
// the approval step, prefixed keys, grants and /v2/auth/whoami of newer
// servers.
//
// Start with [Start] in tests (an httptest server on 127.0.0.1) or [New] for
// a plain handler; read the code "Anytype shows" with [Server.WaitChallenge].
package fakeanytype

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Config picks the server generation and its quirks. The zero value is a
// 2025-11-08 server (heart v0.46.3 – v0.47.0).
type Config struct {
	// Version is the Anytype-Version response header: "2025-11-08" by
	// default; "2025-05-20", "2025-04-22", "2025-03-17" (or "2025-02-12").
	Version string
	// Oldest is heart <= 0.40.2: no header at all, old paths,
	// {"error":{"message"}} bodies, session_token+app_key.
	Oldest bool
	// NeedsApproval is newer heart: no code until Approve(id); solving before
	// approval answers 500; 5 wrong codes per challenge (unless MaxTries says
	// otherwise); one pending prompt per caller; 20 wrong codes lock pairing.
	NeedsApproval bool
	// ApproveAfter, with NeedsApproval, approves every challenge this long
	// after it was created, as if a user clicked Allow (0: only [Server.Approve]).
	ApproveAfter time.Duration
	// MaxTries is the number of wrong codes per challenge before it is
	// dropped; 0 = unlimited (the real <= v0.47 bug), or 5 with NeedsApproval.
	MaxTries int
	// ChallengeCap is the number of creations per server lifetime; default
	// 50. Further creates answer 500 "failed to create a new challenge".
	ChallengeCap int
	// Whoami serves GET /v2/auth/whoami.
	Whoami bool
	// WhoamiCamel, with Whoami, answers whoami in the intermediate
	// camelCase body (createdAt, expiresAt, keyStatus; no all_spaces or
	// restricted) instead of the current snake_case one.
	WhoamiCamel bool
	// PrefixedKeys mints keys like anytype_<48 alnum>_<8 hex> and adds a
	// "grant" to the key response.
	PrefixedKeys bool
	// Grant, when set, is the grant every minted key gets and the key
	// response and whoami report (newer heart, §8 of the project's notes);
	// a narrow one (not all spaces, or not readwrite) makes every /v1 route
	// answer the key with 403 v1_not_available_for_scoped_keys.
	Grant *Grant
	// OpenRequest429 answers a challenge creation with 429
	// rate_limit_exceeded while another challenge is still open (not
	// solved), as a server that allows one open request at a time.
	OpenRequest429 bool
	// Latency delays every answer (for timeout tests).
	Latency time.Duration
	// MCP serves heart's own MCP endpoint, POST /mcp/{small,large,full}
	// (mcp.go): Streamable HTTP behind the /v2 middleware, so a request
	// without a valid key gets 401 with `WWW-Authenticate: Bearer
	// realm="anytype"` (the project's docs/anytype-api.md).
	MCP bool
}

// Grant is what a key may do on newer servers.
type Grant struct {
	AllSpaces  bool     `json:"all_spaces"`
	SpaceIDs   []string `json:"space_ids"`
	Permission string   `json:"permission"` // "read" or "readwrite"
}

// v2Only reports whether /v1 routes refuse a key with this grant.
func (g *Grant) v2Only() bool { return g != nil && (!g.AllSpaces || g.Permission != "readwrite") }

// Fault is a failure injected into answers; see [Server.Fault].
type Fault int

const (
	FaultNone         Fault = iota
	Fault500Create          // challenge creation answers 500
	Fault500Solve           // solving answers 500 even for the right code
	FaultHTML502            // every answer is a proxy's 502 HTML page
	FaultHugeBody           // every answer is 201 with a 64 MiB JSON-ish body
	FaultResetMidBody       // the connection is reset halfway through the body
	FaultGarbageJSON        // every answer is 201 application/json with garbage
	FaultHang               // no answer until the client gives up
)

// Server is a fake Anytype API. Its methods are safe for concurrent use.
type Server struct {
	cfg    Config
	closed chan struct{} // closed by Start's cleanup so hanging handlers return
	url    string

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced on every state change
	fault       Fault
	challenges  map[string]*challenge // every challenge ever made; solved ones are marked gone
	order       []string              // challenge ids created, oldest first
	nextWait    int                   // index into order for WaitChallenge
	nextPending int                   // index into order for WaitPending
	created     int                   // total creations (Challenges)
	capCount    int                   // creations counted against the cap
	wrongTotal  int                   // wrong codes since the last right one (newer servers)
	keys        []string
	valid       map[string]keyInfo
	requests    []Request
	mcp         *mcpEndpoint // with Config.MCP (mcp.go)
}

// Request is one request the server received, for assertions on headers and
// bodies.
type Request struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     []byte
}

// New returns a fake server as a plain handler.
func New(cfg Config) *Server {
	if cfg.Version == "" {
		cfg.Version = "2025-11-08"
	}
	if cfg.ChallengeCap == 0 {
		cfg.ChallengeCap = 50
	}
	if cfg.MaxTries == 0 && cfg.NeedsApproval {
		cfg.MaxTries = 5
	}
	s := &Server{
		cfg:        cfg,
		closed:     make(chan struct{}),
		changed:    make(chan struct{}),
		challenges: map[string]*challenge{},
		valid:      map[string]keyInfo{},
	}
	if cfg.MCP {
		s.mcp = newMCPEndpoint(s)
	}
	return s
}

// Start serves a new fake on 127.0.0.1 until the test ends.
func Start(t testing.TB, cfg Config) *Server {
	t.Helper()
	s := New(cfg)
	ts := httptest.NewServer(s)
	s.url = ts.URL
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s
}

// SetURL records the address the server is reachable at, for servers not
// made by [Start].
func (s *Server) SetURL(u string) { s.url = u }

// URL is the base URL, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.url }

// Close makes hanging and delayed handlers return. It does not stop a
// listener; Start's cleanup does that.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
}

// Fault makes every later answer fail as f says, until Fault(FaultNone).
func (s *Server) Fault(f Fault) {
	s.mu.Lock()
	s.fault = f
	s.mu.Unlock()
}

// Challenges returns how many challenges were created.
func (s *Server) Challenges() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.created
}

// Keys returns the keys minted so far, in order (revoked ones included).
func (s *Server) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.keys...)
}

// Revoke makes key invalid, as Settings → API Keys → Revoke does on newer
// servers, which evict their session cache. (Servers <= v0.47 probably keep
// serving a revoked key they already cached; the fake does not model that.)
func (s *Server) Revoke(key string) {
	s.mu.Lock()
	delete(s.valid, key)
	s.mu.Unlock()
}

// Requests returns every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// broadcast wakes every waiter; s.mu must be held.
func (s *Server) broadcast() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitChallenge returns the next challenge created since the last
// WaitChallenge call, oldest first, with the code Anytype would show. With
// NeedsApproval the code exists only after approval: if ApproveAfter is set
// it waits for that; otherwise it returns at once with code "" for a
// challenge still awaiting approval, so the caller can [Server.Approve] it.
func (s *Server) WaitChallenge(ctx context.Context) (id, code string, err error) {
	for {
		s.mu.Lock()
		if s.nextWait < len(s.order) {
			id := s.order[s.nextWait]
			ch := s.challenges[id]
			if !s.cfg.NeedsApproval || ch.approved || s.cfg.ApproveAfter == 0 {
				s.nextWait++
				code := ch.code
				s.mu.Unlock()
				return id, code, nil
			}
		}
		wait := s.changed
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return "", "", ctx.Err()
		case <-wait:
		}
	}
}

// delay sleeps for cfg.Latency, or until the request or the server ends.
func (s *Server) delay(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closed:
		return false
	}
}
