package mcpbridge

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// hostileMCP is an MCP endpoint that opens sessions properly and then
// answers tools/call with what (from the test's case) writes: a server
// that is not Anytype, or an Anytype with a bug, on loopback.
func hostileMCP(t *testing.T, what func(w http.ResponseWriter, r *http.Request, req *jsonrpc.Request)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		body, _ := io.ReadAll(r.Body)
		msg, err := jsonrpc.DecodeMessage(body)
		req, ok := msg.(*jsonrpc.Request)
		if err != nil || !ok {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("Mcp-Session-Id", "hostile-1")
		switch {
		case !req.IsCall():
			w.WriteHeader(http.StatusAccepted)
		case req.Method == "initialize":
			res, _ := json.Marshal(map[string]any{"protocolVersion": "2025-06-18", "capabilities": map[string]any{"tools": map[string]any{}},
				"serverInfo": map[string]any{"name": "hostile", "version": "1"}})
			out, _ := jsonrpc.EncodeMessage(&jsonrpc.Response{ID: req.ID, Result: res})
			w.Header().Set("Content-Type", "application/json")
			w.Write(out)
		default:
			what(w, r, req)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestHostileAnswers: whatever the endpoint answers a call with, the client
// gets an answer to that call by the call's deadline, with a message, and
// the bridge ends at the end of its input.
func TestHostileAnswers(t *testing.T) {
	cases := []struct {
		name string
		what func(t *testing.T) func(w http.ResponseWriter, r *http.Request, req *jsonrpc.Request)
		want string // in the error's message
	}{
		{"json answer to another id", func(*testing.T) func(http.ResponseWriter, *http.Request, *jsonrpc.Request) {
			return func(w http.ResponseWriter, r *http.Request, req *jsonrpc.Request) {
				id, _ := jsonrpc.MakeID("not-yours")
				out, _ := jsonrpc.EncodeMessage(&jsonrpc.Response{ID: id, Result: json.RawMessage(`{}`)})
				w.Header().Set("Content-Type", "application/json")
				w.Write(out)
			}
		}, "did not answer"},
		{"sse headers then silence", func(t *testing.T) func(http.ResponseWriter, *http.Request, *jsonrpc.Request) {
			return func(w http.ResponseWriter, r *http.Request, req *jsonrpc.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				w.WriteHeader(http.StatusOK)
				w.(http.Flusher).Flush()
				select { // until the bridge gives up on it
				case <-r.Context().Done():
				case <-time.After(10 * time.Second):
				}
			}
		}, "did not answer"},
		{"sse ends without the answer", func(*testing.T) func(http.ResponseWriter, *http.Request, *jsonrpc.Request) {
			return func(w http.ResponseWriter, r *http.Request, req *jsonrpc.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				io.WriteString(w, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"x\"}}\n\n")
			}
		}, "try again"},
		{"sse with an event id ends without the answer", func(*testing.T) func(http.ResponseWriter, *http.Request, *jsonrpc.Request) {
			// The SDK then tries to resume the stream with a GET, which
			// this server (as Anytype) answers 405.
			return func(w http.ResponseWriter, r *http.Request, req *jsonrpc.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				io.WriteString(w, "id: 1\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"x\"}}\n\n")
			}
		}, "try again"},
		{"sse event not json", func(*testing.T) func(http.ResponseWriter, *http.Request, *jsonrpc.Request) {
			return func(w http.ResponseWriter, r *http.Request, req *jsonrpc.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				io.WriteString(w, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\n\n")
			}
		}, "try again"},
		{"sse event of 17 MiB", func(*testing.T) func(http.ResponseWriter, *http.Request, *jsonrpc.Request) {
			return func(w http.ResponseWriter, r *http.Request, req *jsonrpc.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				io.WriteString(w, "event: message\ndata: ")
				chunk := strings.Repeat("x", 1<<20)
				for range 17 {
					if _, err := io.WriteString(w, chunk); err != nil {
						return
					}
				}
			}
		}, "try again"},
		{"202 to a call", func(*testing.T) func(http.ResponseWriter, *http.Request, *jsonrpc.Request) {
			return func(w http.ResponseWriter, r *http.Request, req *jsonrpc.Request) { w.WriteHeader(http.StatusAccepted) }
		}, "gave no MCP answer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := hostileMCP(t, tc.what(t))
			h := &harness{t: t, served: make(chan error, 1), log: &syncBuffer{}}
			h.cfg = Config{BaseURL: srv.URL, Tier: "small", Key: "hostile-test-key-0123456789", Name: "work",
				Transport: auth.RoundTripper(), Log: h.log, CallTimeout: 2 * time.Second}
			c := h.raw()
			start := time.Now()
			c.send(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{}}}`)
			a := c.answer()
			if a.Error == nil {
				t.Fatalf("answer %+v, want an error", a)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("the answer took %v", d)
			}
			if !strings.Contains(a.Error.Error(), tc.want) {
				t.Errorf("error %q does not say %q", a.Error, tc.want)
			}
			t.Logf("answer: %v", a.Error)
			// The bridge is not stuck: the next call gets its answer too.
			c.send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search","arguments":{}}}`)
			if a := c.answer(); a.Error == nil || a.ID.Raw() != int64(2) {
				t.Errorf("second call: answer %+v, want an error for call 2", a)
			}
			if strings.Contains(a.Error.Error(), h.cfg.Key) || strings.Contains(h.log.String(), h.cfg.Key) {
				t.Error("the key was in an error or the log")
			}
		})
	}
}

// TestEndOfInputWaitsForAnswers: a client that writes its call and closes
// its side at once (a script piping requests in) still gets the answer,
// and the session ends with DELETE after it.
func TestEndOfInputWaitsForAnswers(t *testing.T) {
	h := newHarness(t, fakeanytype.Config{MCP: true}, nil)
	toBridge, clientOut := io.Pipe()
	clientIn, fromBridge := io.Pipe()
	go func() {
		h.served <- Serve(context.Background(), &mcp.IOTransport{Reader: toBridge, Writer: fromBridge}, h.cfg)
		fromBridge.Close()
	}()
	conn, err := (&mcp.IOTransport{Reader: clientIn, Writer: clientOut}).Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c := &rawClient{t: t, conn: conn}
	c.send(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`)
	if a := c.answer(); a.Error != nil {
		t.Fatalf("initialize: %v", a.Error)
	}
	c.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	release := h.srv.HoldMCPCalls()
	defer release()
	c.send(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{"query":"x"}}}`)
	wait, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.srv.WaitMCPCalls(wait, 1); err != nil {
		t.Fatal(err)
	}
	clientOut.Close() // end of input, the call still in flight
	time.Sleep(100 * time.Millisecond)
	release()
	if a := c.answer(); a.Error != nil || a.ID.Raw() != int64(1) {
		t.Errorf("answer %+v (error %v), want call 1's result", a, a.Error)
	}
	select {
	case err := <-h.served:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the bridge did not end after its input ended")
	}
	if n := h.count(http.MethodDelete, "/mcp/small"); n != 1 {
		t.Errorf("%d DELETEs, want 1 after the answer", n)
	}
}

// TestDetectBusy: a probe answered with a transient refusal (408, 429,
// 5xx) says nothing about the endpoint, so it is not taken for an older
// Anytype (which would start anytype-mcp for the whole session, where
// scoped keys fail): Detect reports it as an error, and mcp serve then
// bridges and lets each call say what Anytype answers. 404 is older
// Anytype.
func TestDetectBusy(t *testing.T) {
	for _, tc := range []struct {
		status int
		err    bool
	}{{503, true}, {500, true}, {429, true}, {408, true}, {404, false}, {405, false}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(tc.status) }))
		served, err := Detect(context.Background(), Config{BaseURL: srv.URL, Tier: "small", Transport: auth.RoundTripper()})
		srv.Close()
		if served || (err != nil) != tc.err {
			t.Errorf("HTTP %d: served %v, error %v; want an error: %v", tc.status, served, err, tc.err)
		}
		if err != nil && !strings.Contains(err.Error(), fmt.Sprint(tc.status)) {
			t.Errorf("HTTP %d: the error does not name the status: %v", tc.status, err)
		}
	}
}
