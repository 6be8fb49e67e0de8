package mcpbridge

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// TestSessionReinitialised: when Anytype forgets the session (404 on its
// id), the bridge opens a new one with the client's own initialize and
// sends the call again; the client sees nothing of it.
func TestSessionReinitialised(t *testing.T) {
	h := newHarness(t, fakeanytype.Config{MCP: true}, nil)
	s := h.start()
	if err := callSearch(s); err != nil {
		t.Fatal(err)
	}
	h.srv.EndMCPSessions()
	if err := callSearch(s); err != nil {
		t.Fatalf("after Anytype ended the session: %v\nlog: %s", err, h.log)
	}
	inits := 0
	for _, r := range h.srv.Requests() {
		if strings.Contains(string(r.Body), `"method":"initialize"`) {
			inits++
			if !strings.Contains(string(r.Body), `"name":"bridge-test"`) {
				t.Errorf("the replayed initialize is not the client's: %s", r.Body)
			}
		}
	}
	if inits != 2 {
		t.Errorf("%d initialize requests, want the client's and one replay", inits)
	}
	if h.srv.MCPSessions() != 1 {
		t.Errorf("%d sessions open, want 1", h.srv.MCPSessions())
	}
	if !strings.Contains(h.log.String(), "opening a new one") {
		t.Errorf("the log does not say the session was opened again: %q", h.log)
	}
	if err := h.stop(); err != nil {
		t.Error(err)
	}
	if n := h.count("DELETE", "/mcp/small"); n != 1 {
		t.Errorf("%d DELETEs, want 1 (for the new session only)", n)
	}
}

// TestSessionLostTwice: a session that is gone again right after it was
// opened is re-initialised once only, and the call is answered.
func TestSessionLostTwice(t *testing.T) {
	h := newHarness(t, fakeanytype.Config{MCP: true}, nil)
	s := h.start()
	// 404 to every POST: the call's (session id) and the replayed
	// initialize's alike.
	h.srv.RefuseMCP(404, "session not found")
	err := callSearch(s)
	if err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Fatalf("call: %v, want a 404 answer", err)
	}
	inits := 0
	for _, r := range h.srv.Requests() {
		if strings.Contains(string(r.Body), `"method":"initialize"`) {
			inits++
		}
	}
	if inits != 2 {
		t.Errorf("%d initialize requests, want the client's and exactly one replay", inits)
	}
}

// TestFullTierStateless: full keeps no session, so no id and no DELETE.
func TestFullTierStateless(t *testing.T) {
	h := newHarness(t, fakeanytype.Config{MCP: true}, func(c *Config) { c.Tier = "full" })
	s := h.start()
	tools, err := s.ListTools(context.Background(), nil)
	if err != nil || len(tools.Tools) < 20 {
		t.Fatalf("full tier: %v, %d tools", err, len(tools.Tools))
	}
	if err := h.stop(); err != nil {
		t.Error(err)
	}
	for _, r := range h.srv.Requests() {
		if r.Method == "DELETE" || r.Header.Get("Mcp-Session-Id") != "" {
			t.Errorf("%s on the stateless tier with session id %q", r.Method, r.Header.Get("Mcp-Session-Id"))
		}
	}
}

// TestEightInFlight: 12 slow calls at once all succeed: the bridge keeps 8
// in flight, the number Anytype allows per key (the fake answers a 9th
// with 429), and queues the rest.
func TestEightInFlight(t *testing.T) {
	h := newHarness(t, fakeanytype.Config{MCP: true}, nil)
	s := h.start()
	release := h.srv.HoldMCPCalls()
	defer release()
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for range 12 {
		wg.Go(func() { errs <- callSearch(s) })
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.srv.WaitMCPCalls(ctx, 8); err != nil {
		t.Fatalf("8 calls never were in flight: %v", err)
	}
	time.Sleep(200 * time.Millisecond) // a 9th would arrive by now
	if p := h.srv.MCPPeak(); p != 8 {
		t.Errorf("%d calls in flight at once, want 8", p)
	}
	release()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if p := h.srv.MCPPeak(); p > 8 {
		t.Errorf("%d calls in flight at once, want at most 8", p)
	}
}

// TestCancellation: a call the client cancels reaches Anytype as
// notifications/cancelled, ends there, and frees its slot; a call waiting
// for a slot is dropped without being sent. The client here writes its
// messages itself, in a fixed order (the SDK's client sends cancellations
// asynchronously).
func TestCancellation(t *testing.T) {
	h := newHarness(t, fakeanytype.Config{MCP: true}, func(c *Config) { c.MaxInFlight = 1 })
	c := h.raw()
	release := h.srv.HoldMCPCalls()
	defer release()
	c.send(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{"query":"first"}}}`)
	wait, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.srv.WaitMCPCalls(wait, 1); err != nil {
		t.Fatal(err)
	}
	c.send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search","arguments":{"query":"second"}}}`)
	c.send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2,"reason":"test"}}`)
	c.send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1,"reason":"test"}}`)
	for deadline := time.Now().Add(5 * time.Second); h.srv.MCPCancelled() < 1; {
		if time.Now().After(deadline) {
			t.Fatal("Anytype never heard of the cancellation")
		}
		time.Sleep(5 * time.Millisecond)
	}
	release()
	// The slot is free again; the cancelled calls got no answer, so the
	// next answer is this call's.
	c.send(`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search","arguments":{"query":"third"}}}`)
	if got := c.answer(); got.ID.Raw() != float64(3) && got.ID.Raw() != int64(3) {
		t.Errorf("answer to %v (%+v), want only the answer to call 3", got.ID.Raw(), got)
	}
	sawCancel := false
	for _, r := range h.srv.Requests() {
		body := string(r.Body)
		if strings.Contains(body, `"notifications/cancelled"`) {
			sawCancel = true
			if strings.Contains(body, `"requestId":2`) {
				t.Error("the cancellation of a call never sent was passed on")
			}
		}
		if strings.Contains(body, `"second"`) {
			t.Error("the call cancelled while waiting for a slot was sent")
		}
	}
	if !sawCancel {
		t.Error("notifications/cancelled did not reach Anytype")
	}
}

// TestDetect: served on newer Anytype (401 + realm, no key sent), not on
// older Anytype (404), an error when nothing listens.
func TestDetect(t *testing.T) {
	ctx := context.Background()
	newer := fakeanytype.Start(t, fakeanytype.Config{MCP: true, Whoami: true})
	older := fakeanytype.Start(t, fakeanytype.Config{})
	for _, tc := range []struct {
		srv  *fakeanytype.Server
		want bool
	}{{newer, true}, {older, false}} {
		got, err := Detect(ctx, Config{BaseURL: tc.srv.URL(), Tier: "small", Transport: auth.RoundTripper()})
		if err != nil || got != tc.want {
			t.Errorf("%s: served %v, %v; want %v", tc.srv.URL(), got, err, tc.want)
		}
		for _, r := range tc.srv.Requests() {
			if r.Header.Get("Authorization") != "" || len(r.Body) != 0 {
				t.Errorf("the probe sent a key or a message: %+v", r)
			}
		}
	}
	if _, err := Detect(ctx, Config{BaseURL: "http://127.0.0.1:1", Transport: auth.RoundTripper()}); err == nil {
		t.Error("nothing listens at :1, yet Detect found an answer")
	}
	for _, c := range []struct {
		h    []string
		want bool
	}{
		{[]string{`Bearer realm="anytype"`}, true},
		{[]string{`Bearer realm="anytype", error="invalid_token"`}, true},
		{[]string{`Basic realm="anytype"`}, false},
		{[]string{`Bearer realm="other"`}, false},
		{nil, false},
	} {
		if got := anytypeRealm(c.h); got != c.want {
			t.Errorf("anytypeRealm(%q) = %v", c.h, got)
		}
	}
}
