package mcpbridge

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// harness is one bridge between an SDK client and a fake Anytype, joined
// by pipes as a client's stdio would be.
type harness struct {
	t      *testing.T
	srv    *fakeanytype.Server
	cfg    Config
	client *mcp.ClientSession
	served chan error
	log    *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newHarness(t *testing.T, fc fakeanytype.Config, tweak func(*Config)) *harness {
	t.Helper()
	srv := fakeanytype.Start(t, fc)
	h := &harness{t: t, srv: srv, served: make(chan error, 1), log: &syncBuffer{}}
	h.cfg = Config{BaseURL: srv.URL(), Tier: "small", Key: srv.AddKey(fakeanytype.KeyOptions{Name: "test"}), Name: "work",
		Transport: auth.RoundTripper(), Log: h.log}
	if tweak != nil {
		tweak(&h.cfg)
	}
	return h
}

// start runs the bridge and connects a client through it (initialize and
// initialized included).
func (h *harness) start() *mcp.ClientSession {
	h.t.Helper()
	toBridge, clientOut := io.Pipe()
	clientIn, fromBridge := io.Pipe()
	go func() {
		h.served <- Serve(context.Background(), &mcp.IOTransport{Reader: toBridge, Writer: fromBridge}, h.cfg)
		fromBridge.Close()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := mcp.NewClient(&mcp.Implementation{Name: "bridge-test", Version: "1"}, nil)
	s, err := c.Connect(ctx, &mcp.IOTransport{Reader: clientIn, Writer: clientOut}, nil)
	if err != nil {
		h.t.Fatalf("connecting through the bridge: %v\nlog: %s", err, h.log)
	}
	h.client = s
	h.t.Cleanup(func() { s.Close() })
	// The client does not wait for its initialized notification to
	// arrive; the tests' faults must not hit it.
	for !h.sawInitialized() {
		if ctx.Err() != nil {
			h.t.Fatal("notifications/initialized never reached Anytype")
		}
		time.Sleep(time.Millisecond)
	}
	return s
}

func (h *harness) sawInitialized() bool {
	for _, r := range h.srv.Requests() {
		if strings.Contains(string(r.Body), `"notifications/initialized"`) {
			return true
		}
	}
	return false
}

// stop closes the client's side (end of input) and waits for Serve.
func (h *harness) stop() error {
	h.t.Helper()
	h.client.Close()
	select {
	case err := <-h.served:
		return err
	case <-time.After(10 * time.Second):
		h.t.Fatal("the bridge did not end after its input ended")
		return nil
	}
}

func (h *harness) count(method, path string) int {
	n := 0
	for _, r := range h.srv.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

func TestInitializeListCallDelete(t *testing.T) {
	h := newHarness(t, fakeanytype.Config{MCP: true, Whoami: true, PrefixedKeys: true}, nil)
	s := h.start()
	if got := s.InitializeResult().ServerInfo.Name; got != "anytype" {
		t.Errorf("server name %q, want anytype", got)
	}
	ctx := context.Background()
	tools, err := s.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tools.Tools) != 8 {
		t.Errorf("small tier lists %d tools, want 8", len(tools.Tools))
	}
	res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: "search", Arguments: map[string]any{"query": "notes"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError || !strings.Contains(string(mustJSON(t, res.StructuredContent)), `"query":"notes"`) {
		t.Errorf("search answered %+v", res)
	}
	if h.srv.MCPSessions() != 1 {
		t.Errorf("%d sessions open, want 1", h.srv.MCPSessions())
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if n := h.count("DELETE", "/mcp/small"); n != 1 {
		t.Errorf("%d DELETEs at the end of input, want 1", n)
	}
	if h.srv.MCPSessions() != 0 {
		t.Errorf("%d sessions left open", h.srv.MCPSessions())
	}
	for _, r := range h.srv.Requests() {
		if r.Path == "/mcp/small" && r.Header.Get("Authorization") != "Bearer "+h.cfg.Key {
			t.Errorf("%s %s went without the key", r.Method, r.Path)
		}
	}
}

// rawClient writes and reads JSON-RPC messages itself, through the SDK's
// connection, for tests that need an exact order on the wire.
type rawClient struct {
	t    *testing.T
	conn mcp.Connection
}

// raw runs the bridge and initializes it by hand.
func (h *harness) raw() *rawClient {
	h.t.Helper()
	toBridge, clientOut := io.Pipe()
	clientIn, fromBridge := io.Pipe()
	go func() {
		h.served <- Serve(context.Background(), &mcp.IOTransport{Reader: toBridge, Writer: fromBridge}, h.cfg)
		fromBridge.Close()
	}()
	conn, err := (&mcp.IOTransport{Reader: clientIn, Writer: clientOut}).Connect(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { conn.Close() })
	c := &rawClient{t: h.t, conn: conn}
	c.send(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`)
	if a := c.answer(); a.Error != nil {
		h.t.Fatalf("initialize: %v", a.Error)
	}
	c.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	return c
}

func (c *rawClient) send(msg string) {
	c.t.Helper()
	m, err := jsonrpc.DecodeMessage([]byte(msg))
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.conn.Write(context.Background(), m); err != nil {
		c.t.Fatal(err)
	}
}

// answer reads the next response, within 10 s.
func (c *rawClient) answer() *jsonrpc.Response {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		m, err := c.conn.Read(ctx)
		if err != nil {
			c.t.Fatalf("reading an answer: %v", err)
		}
		if r, ok := m.(*jsonrpc.Response); ok {
			return r
		}
	}
}
