package mcpbridge

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func callSearch(s *mcp.ClientSession) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: "search", Arguments: map[string]any{"query": "x"}})
	if err == nil && res.IsError {
		return errorf("tool error: %+v", res.Content)
	}
	return err
}

// TestRefusals: each HTTP refusal class becomes an error answer at once,
// with a message saying what to do, and the bridge serves the next call
// once Anytype does again.
func TestRefusals(t *testing.T) {
	cases := []struct {
		status int
		msg    string
		want   []string
	}{
		{401, "invalid api key", []string{"refused the key \"work\"", "HTTP 401: invalid api key", "anykey verify work"}},
		{401, "api key expired", []string{"expired", "anykey rotate work"}},
		{403, "api key scope does not allow json api access", []string{"HTTP 403", "anykey verify work", "anykey pair work --force"}},
		{404, "not found", []string{"does not serve MCP at /mcp/small", "HTTP 404", "Update Anytype"}},
		{408, "request body not received in time", []string{"HTTP 408", "Try again"}},
		{413, "request body too large", []string{"larger than Anytype accepts", "HTTP 413"}},
		{429, "too many MCP calls in flight for this key", []string{"busy", "HTTP 429", "8 calls in flight"}},
		{500, "internal error", []string{"HTTP 500", "restart Anytype"}},
		{502, "bad gateway", []string{"HTTP 502", "restart Anytype"}},
		{503, "unavailable", []string{"HTTP 503", "Try again"}},
		{400, "unsupported MCP-Protocol-Version", []string{"rejected the message", "HTTP 400"}},
	}
	for _, tc := range cases {
		t.Run(http.StatusText(tc.status)+"/"+tc.msg, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, fakeanytype.Config{MCP: true}, nil)
			s := h.start()
			h.srv.RefuseMCP(tc.status, tc.msg)
			start := time.Now()
			err := callSearch(s)
			if err == nil {
				t.Fatal("the call succeeded through a refusal")
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("the refusal took %v to arrive", d)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), h.cfg.Key) {
				t.Error("the error holds the key")
			}
			h.srv.RefuseMCP(0, "")
			if err := callSearch(s); err != nil {
				t.Errorf("after the refusal ended: %v\nlog: %s", err, h.log)
			}
			if err := h.stop(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestRevokedKey: a key Anytype no longer knows gets the 401 hint, on
// every call, and no call waits.
func TestRevokedKey(t *testing.T) {
	h := newHarness(t, fakeanytype.Config{MCP: true}, nil)
	s := h.start()
	h.srv.Revoke(h.cfg.Key)
	for i := 0; i < 2; i++ {
		err := callSearch(s)
		if err == nil || !strings.Contains(err.Error(), "anykey verify work") {
			t.Errorf("call %d: %v, want the verify hint", i, err)
		}
	}
}

// TestNotRunning: with nothing listening, initialize itself is answered
// with the hint to start Anytype.
func TestNotRunning(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	h := newHarness(t, fakeanytype.Config{MCP: true}, func(c *Config) { c.BaseURL = url })
	toBridge, clientOut := pipe()
	clientIn, fromBridge := pipe()
	go func() {
		h.served <- Serve(context.Background(), &mcp.IOTransport{Reader: toBridge, Writer: fromBridge}, h.cfg)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).
		Connect(ctx, &mcp.IOTransport{Reader: clientIn, Writer: clientOut}, nil)
	if err == nil || !strings.Contains(err.Error(), "Anytype is not running at "+url) || !strings.Contains(err.Error(), "Start Anytype") {
		t.Errorf("initialize: %v, want the not-running hint", err)
	}
	clientOut.Close()
	<-h.served
}

// TestNoAnswer: Anytype that accepts and never answers is given up on at
// the call's deadline, with a message, not a hang.
func TestNoAnswer(t *testing.T) {
	// 2 s, not less: the same deadline holds for the call after the hang,
	// which lost a 500 ms one to a loaded machine under -race (seen in CI).
	h := newHarness(t, fakeanytype.Config{MCP: true}, func(c *Config) { c.CallTimeout = 2 * time.Second })
	s := h.start()
	h.srv.Fault(fakeanytype.FaultHang)
	err := callSearch(s)
	if err == nil || !strings.Contains(err.Error(), "did not answer within 2s") {
		t.Errorf("hung call: %v", err)
	}
	h.srv.Fault(fakeanytype.FaultNone)
	if err := callSearch(s); err != nil {
		t.Errorf("after the hang: %v", err)
	}
}

// TestTooLargeLocally: a call larger than Anytype reads is answered
// without sending it.
func TestTooLargeLocally(t *testing.T) {
	h := newHarness(t, fakeanytype.Config{MCP: true}, nil)
	s := h.start()
	_, err := s.CallTool(context.Background(), &mcp.CallToolParams{Name: "search",
		Arguments: map[string]any{"query": strings.Repeat("a", MaxBody)}})
	if err == nil || !strings.Contains(err.Error(), "larger than Anytype accepts") {
		t.Errorf("9 MiB call: %v", err)
	}
	for _, r := range h.srv.Requests() {
		if len(r.Body) > 1<<20 {
			t.Errorf("%s %s sent a message Anytype cannot take", r.Method, r.Path)
		}
	}
}

// TestKeyClasses: keys Anytype refuses for what they are, not for a fault:
// an expired key (401 "api key expired") and a Limited one (403 at the
// scope gate) get their own hints from initialize on.
func TestKeyClasses(t *testing.T) {
	cases := []struct {
		name string
		opts fakeanytype.KeyOptions
		want string
	}{
		{"expired", fakeanytype.KeyOptions{Name: "old", ExpiresAt: time.Now().Add(-time.Minute)}, "anykey rotate work"},
		{"limited", fakeanytype.KeyOptions{Name: "clipper", Scope: fakeanytype.ScopeLimited}, "anykey pair work --force"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fakeanytype.Config{MCP: true, Whoami: true}, nil)
			h.cfg.Key = h.srv.AddKey(tc.opts)
			toBridge, clientOut := pipe()
			clientIn, fromBridge := pipe()
			go func() {
				h.served <- Serve(context.Background(), &mcp.IOTransport{Reader: toBridge, Writer: fromBridge}, h.cfg)
			}()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).
				Connect(ctx, &mcp.IOTransport{Reader: clientIn, Writer: clientOut}, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("initialize: %v, want %q", err, tc.want)
			}
			clientOut.Close()
			<-h.served
		})
	}
}

// TestScopedKey: a key granted one space, read-only — refused on /v1, so
// by anytype-mcp — works through the bridge, within its grant.
func TestScopedKey(t *testing.T) {
	h := newHarness(t, fakeanytype.Config{MCP: true, Whoami: true, PrefixedKeys: true}, nil)
	h.cfg.Key = h.srv.AddKey(fakeanytype.KeyOptions{Name: "scoped",
		Grant: &fakeanytype.Grant{SpaceIDs: []string{"bafyscoped"}, Permission: "read"}})
	s := h.start()
	res, err := s.CallTool(context.Background(), &mcp.CallToolParams{Name: "list_spaces"})
	if err != nil || res.IsError {
		t.Fatalf("list_spaces with a scoped key: %v %+v", err, res)
	}
	if got := string(mustJSON(t, res.StructuredContent)); !strings.Contains(got, `"spaces":["bafyscoped"]`) {
		t.Errorf("list_spaces answered %s, want the granted space only", got)
	}
	res, err = s.CallTool(context.Background(), &mcp.CallToolParams{Name: "get_space", Arguments: map[string]any{"space_id": "bafyother"}})
	if err != nil || !res.IsError {
		t.Errorf("a space outside the grant: %v %+v, want a tool error", err, res)
	}
}

// TestRotatedKey: after Anytype refuses the key, the bridge reads it again
// (Config.Reload: the keychain); a key replaced meanwhile (anykey rotate)
// is used at once, without restarting the server. A key that stays
// refused is read again at most once per reloadEvery.
func TestRotatedKey(t *testing.T) {
	h := newHarness(t, fakeanytype.Config{MCP: true, Whoami: true}, nil)
	var mu sync.Mutex
	saved, reloads := h.cfg.Key, 0
	h.cfg.Reload = func(context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		reloads++
		return saved, nil
	}
	s := h.start()
	old := h.cfg.Key
	h.srv.Revoke(old)
	for i := 0; i < 3; i++ {
		if err := callSearch(s); err == nil || !strings.Contains(err.Error(), "anykey verify work") {
			t.Fatalf("call %d with the revoked key: %v", i, err)
		}
	}
	mu.Lock()
	if reloads != 1 {
		t.Errorf("%d keychain reads for 3 refused calls, want 1", reloads)
	}
	saved = h.srv.AddKey(fakeanytype.KeyOptions{Name: "rotated"})
	mu.Unlock()
	time.Sleep(reloadEvery) // the next refusal may read the key again
	if err := callSearch(s); err != nil {
		t.Fatalf("after the key was rotated: %v\nlog: %s", err, h.log)
	}
	if err := callSearch(s); err != nil {
		t.Fatalf("the next call: %v", err)
	}
	last := h.srv.Requests()
	if got := last[len(last)-1].Header.Get("Authorization"); got != "Bearer "+saved {
		t.Error("the last call did not carry the rotated key")
	}
	if strings.Contains(h.log.String(), old) || strings.Contains(h.log.String(), saved) {
		t.Error("a key is in the log")
	}
}
