// Package mcpbridge is the stdio MCP server behind `anykey mcp serve`: it
// passes each JSON-RPC message an MCP client writes to it on to Anytype's
// own MCP endpoint, POST /mcp/{small,large,full} over Streamable HTTP, and
// each answer back. The key goes only into the Authorization header of
// those requests; the client's config holds no key, and the process's
// argv, environment and stderr never see one.
//
// Both sides are the transports of the official MCP Go SDK
// (github.com/modelcontextprotocol/go-sdk): [mcp.StdioTransport] towards
// the client and [mcp.StreamableClientTransport] towards Anytype. The
// bridge adds what a pass-through needs and the SDK leaves to its callers:
//
//   - every refusal at the HTTP level (401, 403, 404, 408, 413, 429, 5xx,
//     Anytype not running, no answer in time) becomes a JSON-RPC error
//     answer to the call, with a message saying what to do (see
//     refusal.go), so a client never waits for a timeout;
//   - a session Anytype no longer knows (404 on a request carrying
//     Mcp-Session-Id) is opened again once, by replaying the client's own
//     initialize, and the call is sent again on the new session;
//   - at most [DefaultMaxInFlight] calls are in flight at once, the number
//     Anytype allows per key; more wait for a free slot;
//   - notifications/cancelled from the client reaches Anytype, and a call
//     still waiting for a slot or for Anytype's answer is dropped;
//   - at the end of input the session is ended with DELETE.
//
// Facts about the endpoint: docs/anytype-api.md §6 ("Anytype's own MCP
// endpoint") and docs/mcp-serve.md, from anytype-auth-api.md §8.5 of the
// project's notes.
package mcpbridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Tiers are the endpoint's tiers, /mcp/TIER. small and large are Anytype's
// curated tool sets and keep a session; full has one tool per /v2
// operation and is stateless.
var Tiers = []string{"small", "large", "full"}

// DefaultTier is the tier `anykey mcp serve` uses without --tier: the
// curated large set. small (8 tools) leaves out deleting objects and the
// type, property, tag, member and template tools that anytype-mcp offered,
// so a user moving from anytype-mcp would lose abilities; full lists one
// tool per /v2 operation, which fills a model's context with tool
// definitions and is stateless. large keeps the curated descriptions and a
// session, and covers what anytype-mcp's users do.
const DefaultTier = "large"

// Limits of Anytype's endpoint that the bridge honours itself (§8.5).
const (
	// DefaultMaxInFlight is how many calls Anytype serves at once per key.
	DefaultMaxInFlight = 8
	// MaxBody is the largest request body Anytype reads, in bytes; a call
	// whose parameters are larger is answered here, without sending it.
	MaxBody = 8 << 20
	// DefaultCallTimeout bounds one call: Anytype's own 60 s per call, its
	// 10 s for the body to arrive, and some slack.
	DefaultCallTimeout = 90 * time.Second
	// notifyTimeout bounds sending a notification or an answer to Anytype.
	notifyTimeout = 10 * time.Second
)

// Config says where to bridge to and with which key.
type Config struct {
	// BaseURL is Anytype's API base URL, e.g. "http://127.0.0.1:31009".
	BaseURL string
	// Tier is one of [Tiers]; "" means [DefaultTier].
	Tier string
	// Key is the API key. It is sent only as "Authorization: Bearer".
	Key string
	// Name is the key's name in anykey, for the hints in error messages.
	Name string
	// Transport sends the HTTP requests (anykey passes
	// auth.RoundTripper()). It must not follow redirects.
	Transport http.RoundTripper
	// Log gets a line for events a user may want to know about later (a
	// session opened again, a message that could not be read). Never a key.
	Log io.Writer
	// MaxInFlight is how many calls may be in flight; 0 means
	// [DefaultMaxInFlight].
	MaxInFlight int
	// CallTimeout bounds each call; 0 means [DefaultCallTimeout].
	CallTimeout time.Duration
	// Reload, when set, reads the key again (anykey: from the keychain)
	// after Anytype refused it (401, 403), so a key replaced meanwhile
	// (anykey rotate, pair --force) is used without restarting the server.
	// It is asked at most once per [reloadEvery].
	Reload func(context.Context) (string, error)
}

// reloadEvery spaces out Config.Reload: a revoked key refused on every
// call must not become a keychain read per call.
const reloadEvery = 5 * time.Second

// Endpoint is the URL of the tier's MCP endpoint.
func (c Config) Endpoint() string {
	return strings.TrimRight(c.BaseURL, "/") + "/mcp/" + c.Tier
}

// Serve bridges the client connected through local to Anytype until the
// client's input ends or ctx is cancelled. It then waits for the calls in
// flight (at end of input) or abandons them (ctx cancelled), and ends the
// session. The error is nil at the end of input; otherwise it says why the
// bridge stopped reading (a malformed stream).
func Serve(ctx context.Context, local mcp.Transport, cfg Config) error {
	if cfg.Tier == "" {
		cfg.Tier = DefaultTier
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = DefaultCallTimeout
	}
	if cfg.Transport == nil {
		return errors.New("mcpbridge: no transport")
	}
	conn, err := local.Connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	b := &bridge{cfg: cfg, local: conn, calls: map[jsonrpc.ID]*call{}, sem: make(chan struct{}, cfg.MaxInFlight), key: cfg.Key}
	b.ctx, b.stop = context.WithCancel(ctx)
	defer b.stop()
	b.client = &http.Client{
		Transport: &keyTransport{base: cfg.Transport, b: b},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a key never follows a redirect
		},
	}
	return b.run()
}

// bridge is one client's connection to Anytype.
type bridge struct {
	cfg    Config
	ctx    context.Context // ends when Serve's ctx does
	stop   context.CancelFunc
	local  mcp.Connection
	client *http.Client
	sem    chan struct{} // one token per call in flight
	wg     sync.WaitGroup

	upMu sync.Mutex // serialises opening sessions
	seq  int        // ids of the bridge's own initialize calls

	reloadMu   sync.Mutex // serialises Config.Reload
	reloadedAt time.Time

	mu          sync.Mutex
	up          *upstream // the current session; nil before the first call
	calls       map[jsonrpc.ID]*call
	initParams  json.RawMessage // the client's initialize, replayed on a new session
	initialized bool            // the client sent notifications/initialized
	protocol    string          // the protocol version Anytype agreed to
	key         string          // the key sent now
	keyGen      int             // how often key was replaced
	oldKeys     []string        // keys replaced, still masked in messages
}

// call is one client request waiting for its answer.
type call struct {
	req    *jsonrpc.Request
	ctx    context.Context // ends at the timeout or on cancellation
	cancel context.CancelFunc

	// Guarded by bridge.mu.
	up        *upstream // the session it was sent on, once sending began
	sent      bool      // Anytype took it; the answer comes through up
	slot      bool      // it holds a token of sem
	cancelled bool      // the client cancelled it: it gets no answer
}

func (b *bridge) logf(format string, args ...any) {
	if b.cfg.Log != nil {
		fmt.Fprintf(b.cfg.Log, "anykey: mcp serve: "+format+"\n", args...)
	}
}

func (b *bridge) run() error {
	var readErr error
	for {
		msg, err := b.local.Read(b.ctx)
		if err != nil {
			if !errors.Is(err, io.EOF) && b.ctx.Err() == nil {
				// As the SDK's own servers do: a stream that cannot be read
				// cannot be resynchronised.
				readErr = fmt.Errorf("reading the client's messages: %w", err)
				b.logf("%v", readErr)
			}
			break
		}
		switch m := msg.(type) {
		case *jsonrpc.Request:
			if m.IsCall() {
				b.startCall(m)
			} else {
				b.notification(m)
			}
		case *jsonrpc.Response:
			b.forward(m) // the client's answer to a request of Anytype's
		}
	}
	// End of input: let the calls in flight finish (each has its deadline)
	// unless Serve's context ended, then end the session.
	b.wg.Wait()
	b.mu.Lock()
	up := b.up
	b.mu.Unlock()
	if up != nil {
		up.close()
	}
	return readErr
}

// startCall registers a client request and sends it in its own goroutine.
func (b *bridge) startCall(req *jsonrpc.Request) {
	c := &call{req: req}
	c.ctx, c.cancel = context.WithTimeout(b.ctx, b.cfg.CallTimeout)
	b.mu.Lock()
	if _, dup := b.calls[req.ID]; dup {
		b.mu.Unlock()
		c.cancel()
		b.answer(req.ID, &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest,
			Message: fmt.Sprintf("request id %v is already in use by a call in flight", req.ID.Raw())})
		return
	}
	b.calls[req.ID] = c
	if req.Method == "initialize" {
		b.initParams = req.Params
	}
	b.mu.Unlock()
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		b.runCall(c)
	}()
}

// runCall waits for a slot, sends the call and, on a lost session, opens
// a new one and sends it once more. The answer arrives through the
// session's reader (readUpstream) or, on failure, from finish here.
func (b *bridge) runCall(c *call) {
	if len(c.req.Params) > MaxBody-4096 {
		b.finish(c, nil, refusalTooLarge(b.cfg))
		return
	}
	select {
	case b.sem <- struct{}{}:
		b.mu.Lock()
		c.slot = true
		b.mu.Unlock()
		if err := c.ctx.Err(); err != nil {
			// Both were ready: a cancelled call is never sent.
			b.finish(c, nil, b.transportRefusal(err))
			return
		}
	case <-c.ctx.Done():
		b.finish(c, nil, b.transportRefusal(c.ctx.Err()))
		return
	}
	isInit := c.req.Method == "initialize"
	var old *upstream
	for attempt := 0; ; attempt++ {
		_, gen := b.currentKey()
		up, rerr := b.session(c.ctx, old, isInit)
		if rerr != nil {
			if rerr.Code == CodeKeyRefused && attempt == 0 && b.reloadKey(c.ctx, gen) {
				b.logf("Anytype refused the key; using the key %q as saved now", b.cfg.Name)
				continue
			}
			b.finish(c, nil, rerr)
			return
		}
		b.mu.Lock()
		c.up = up
		b.mu.Unlock()
		out := &outcome{}
		err := up.conn.Write(withOutcome(c.ctx, out), c.req)
		if err == nil {
			b.mu.Lock()
			c.sent = true
			b.mu.Unlock()
			if up.isDead() {
				// The session broke while this was sent: its answer is lost.
				b.finish(c, nil, b.lostRefusal(up))
				return
			}
			// The answer comes through readUpstream, which finishes the
			// call and so ends c.ctx. An answer that never comes (a
			// stream that stalls after its headers, an answer under
			// another id) is the bridge's to give at the call's deadline.
			<-c.ctx.Done()
			if errors.Is(c.ctx.Err(), context.DeadlineExceeded) {
				b.finish(c, nil, b.transportRefusal(c.ctx.Err()))
			}
			return
		}
		// Another session is worth one try when Anytype no longer knows
		// this one (404 with a session id), or when the session had
		// already broken before this call reached Anytype.
		// A Write that made no HTTP request of its own failed because
		// the connection had broken already (on another call's refusal).
		lost := errors.Is(err, mcp.ErrSessionMissing) || !out.answered()
		if lost && attempt == 0 && !isInit && c.ctx.Err() == nil {
			if errors.Is(err, mcp.ErrSessionMissing) {
				b.logf("Anytype ended the MCP session; opening a new one")
			}
			old = up
			continue
		}
		if errors.Is(err, mcp.ErrSessionMissing) {
			b.finish(c, nil, refusalSessionAgain(b.cfg))
			return
		}
		rerr = b.refusal(out, err)
		if rerr.Code == CodeKeyRefused && attempt == 0 && b.reloadKey(c.ctx, gen) {
			b.logf("Anytype refused the key; using the key %q as saved now", b.cfg.Name)
			old = up
			continue
		}
		b.finish(c, nil, rerr)
		return
	}
}

// finish answers c once: with resp from Anytype, or with the error rpcErr.
// A call the client cancelled gets no answer.
func (b *bridge) finish(c *call, resp *jsonrpc.Response, rpcErr *jsonrpc.Error) {
	b.mu.Lock()
	if b.calls[c.req.ID] != c {
		b.mu.Unlock()
		return
	}
	delete(b.calls, c.req.ID)
	slot, cancelled := c.slot, c.cancelled
	if resp != nil && resp.Error == nil && c.req.Method == "initialize" {
		var res struct {
			ProtocolVersion string `json:"protocolVersion"`
		}
		if json.Unmarshal(resp.Result, &res) == nil {
			b.protocol = res.ProtocolVersion
		}
	}
	b.mu.Unlock()
	if slot {
		<-b.sem
	}
	c.cancel()
	if cancelled {
		return
	}
	if resp == nil {
		resp = &jsonrpc.Response{ID: c.req.ID, Error: rpcErr}
	}
	if err := b.local.Write(b.ctx, resp); err != nil && b.ctx.Err() == nil {
		b.logf("writing an answer to the client: %v", err)
	}
}

// answer writes an error answer for a request the bridge never registered.
func (b *bridge) answer(id jsonrpc.ID, e *jsonrpc.Error) {
	if err := b.local.Write(b.ctx, &jsonrpc.Response{ID: id, Error: e}); err != nil && b.ctx.Err() == nil {
		b.logf("writing an answer to the client: %v", err)
	}
}
