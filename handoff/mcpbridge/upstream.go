package mcpbridge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// upstream is one session with Anytype: one connection of the SDK's
// Streamable HTTP client transport, which keeps the Mcp-Session-Id that
// Anytype's answer to initialize carries and sends DELETE when closed.
type upstream struct {
	conn   mcp.Connection
	dead   chan struct{} // closed when the connection broke
	err    error         // why; set before dead is closed
	mu     sync.Mutex
	own    map[jsonrpc.ID]chan *jsonrpc.Response // the bridge's own calls
	closed sync.Once
}

func (u *upstream) isDead() bool {
	select {
	case <-u.dead:
		return true
	default:
		return false
	}
}

// close ends the session: DELETE, unless Anytype already said it has no
// such session (the SDK skips it then).
func (u *upstream) close() { u.closed.Do(func() { u.conn.Close() }) }

// session returns the session to send a call on: the current one, or a
// new one when there is none or when old is the current one and is lost.
// A new session replays the client's initialize (and initialized), unless
// the call is itself the client's initialize.
func (b *bridge) session(ctx context.Context, old *upstream, isInit bool) (*upstream, *jsonrpc.Error) {
	b.upMu.Lock()
	defer b.upMu.Unlock()
	b.mu.Lock()
	cur, params, initialized := b.up, b.initParams, b.initialized
	b.mu.Unlock()
	if cur != nil && cur != old && !cur.isDead() {
		return cur, nil
	}
	if cur != nil {
		go cur.close()
	}
	tr := &mcp.StreamableClientTransport{
		Endpoint:   b.cfg.Endpoint(),
		HTTPClient: b.client,
		MaxRetries: -1, // Anytype answers JSON, never a stream to resume
		// Anytype answers GET with 405 (§8.5); the bridge never opens the
		// standalone stream anyway (it would after the SDK's own
		// initialization, which the bridge does not use).
		DisableStandaloneSSE: true,
	}
	conn, err := tr.Connect(context.WithoutCancel(ctx))
	if err != nil {
		return nil, b.transportRefusal(err)
	}
	up := &upstream{conn: conn, dead: make(chan struct{}), own: map[jsonrpc.ID]chan *jsonrpc.Response{}}
	go b.readUpstream(up)
	if params != nil && !isInit {
		if rerr := b.replayInit(ctx, up, params, initialized); rerr != nil {
			go up.close()
			return nil, rerr
		}
	}
	b.mu.Lock()
	b.up = up
	b.mu.Unlock()
	return up, nil
}

// replayInit opens the session on up with the client's own initialize,
// under an id of the bridge's own, and its initialized notification.
func (b *bridge) replayInit(ctx context.Context, up *upstream, params []byte, initialized bool) *jsonrpc.Error {
	b.seq++
	id, _ := jsonrpc.MakeID(fmt.Sprintf("anykey-initialize-%d", b.seq))
	ch := make(chan *jsonrpc.Response, 1)
	up.mu.Lock()
	up.own[id] = ch
	up.mu.Unlock()
	out := &outcome{}
	if err := up.conn.Write(withOutcome(ctx, out), &jsonrpc.Request{ID: id, Method: "initialize", Params: params}); err != nil {
		return b.refusal(out, err)
	}
	select {
	case resp := <-ch:
		if resp.Error != nil {
			return &jsonrpc.Error{Code: jsonrpc.CodeInternalError,
				Message: "Anytype refused to open a new MCP session: " + b.clean(resp.Error.Error())}
		}
	case <-up.dead:
		return b.lostRefusal(up)
	case <-ctx.Done():
		return b.transportRefusal(ctx.Err())
	}
	if initialized {
		b.send(up, &jsonrpc.Request{Method: "notifications/initialized"})
	}
	return nil
}

// readUpstream passes what Anytype sends on up to the client until the
// connection breaks; then every call whose answer was to come through up
// gets an error instead.
func (b *bridge) readUpstream(up *upstream) {
	for {
		msg, err := up.conn.Read(context.Background())
		if err != nil {
			b.mu.Lock()
			up.err = err
			close(up.dead)
			var lost []*call
			for _, c := range b.calls {
				if c.up == up && c.sent {
					lost = append(lost, c)
				}
			}
			b.mu.Unlock()
			for _, c := range lost {
				b.finish(c, nil, b.lostRefusal(up))
			}
			return
		}
		switch m := msg.(type) {
		case *jsonrpc.Response:
			up.mu.Lock()
			ch := up.own[m.ID]
			delete(up.own, m.ID)
			up.mu.Unlock()
			if ch != nil {
				ch <- m
				continue
			}
			b.mu.Lock()
			c := b.calls[m.ID]
			b.mu.Unlock()
			if c == nil {
				continue
			}
			var wire *jsonrpc.Error
			if m.Error != nil && !errors.As(m.Error, &wire) {
				// Not Anytype's error but the SDK's own, for a stream
				// that ended (or broke off) before the call's answer.
				b.finish(c, nil, b.streamEndedRefusal(c))
				continue
			}
			b.finish(c, m, nil)
		case *jsonrpc.Request:
			// A request or notification of Anytype's for the client.
			if err := b.local.Write(b.ctx, m); err != nil && b.ctx.Err() == nil {
				b.logf("writing to the client: %v", err)
			}
		}
	}
}

// outcome is what happened to one HTTP request of a Write: the SDK reports
// a refusal as an error string, so keyTransport notes the status and
// Anytype's message here, for refusal.go to say what to do.
type outcome struct {
	mu     sync.Mutex
	status int // the HTTP status of a refusal (>= 400)
	header http.Header
	body   []byte // its start
	got    bool   // an HTTP answer came, whatever its status
	err    error  // the transport's error, when there was no answer
}

func (o *outcome) answered() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.got || o.err != nil
}

type outcomeKey struct{}

func withOutcome(ctx context.Context, o *outcome) context.Context {
	return context.WithValue(ctx, outcomeKey{}, o)
}

// maxRefusalBody is how much of a refusal's body is kept for its message.
const maxRefusalBody = 4 << 10

// maxAnswer bounds an answer's body; Anytype's are far smaller.
const maxAnswer = 64 << 20

// keyTransport adds the key and Anytype's version header to each request
// and notes refusals in the request's outcome.
//
// A call the client cancels has its request's context cancelled. Until the
// answer's headers arrive that ends the request; after that the answer is
// read to its end under the call's deadline only, because the SDK's client
// connection treats a body it cannot read as a broken connection, which
// would lose the answers of every other call in flight.
type keyTransport struct {
	base http.RoundTripper
	b    *bridge
}

// anytypeVersion is the API version anykey speaks (docs/anytype-api.md).
const anytypeVersion = "2025-11-08"

func (t *keyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	parent := req.Context()
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	if d, ok := parent.Deadline(); ok {
		ctx, cancel = context.WithDeadline(context.WithoutCancel(parent), d)
	}
	stop := context.AfterFunc(parent, func() {
		if !errors.Is(parent.Err(), context.DeadlineExceeded) {
			cancel()
		}
	})
	r := req.Clone(ctx)
	key, _ := t.b.currentKey()
	r.Header.Set("Authorization", "Bearer "+key)
	r.Header.Set("Anytype-Version", anytypeVersion)
	t.b.mu.Lock()
	pv := t.b.protocol
	t.b.mu.Unlock()
	if pv != "" && r.Header.Get("Mcp-Protocol-Version") == "" {
		r.Header.Set("Mcp-Protocol-Version", pv)
	}
	resp, err := t.base.RoundTrip(r)
	stop()
	o, _ := parent.Value(outcomeKey{}).(*outcome)
	if err != nil {
		cancel()
		if parent.Err() != nil {
			err = parent.Err()
		}
		if o != nil {
			o.mu.Lock()
			o.err = err
			o.mu.Unlock()
		}
		return nil, err
	}
	if o != nil {
		o.mu.Lock()
		o.got = true
		o.mu.Unlock()
	}
	if resp.StatusCode >= 400 && o != nil {
		head, _ := io.ReadAll(io.LimitReader(resp.Body, maxRefusalBody))
		o.mu.Lock()
		o.status, o.header, o.body = resp.StatusCode, resp.Header, head
		o.mu.Unlock()
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	}
	resp.Body = &answerBody{r: io.LimitReader(resp.Body, maxAnswer), c: resp.Body, cancel: cancel}
	return resp, nil
}

// answerBody releases the request's context when the body is closed.
type answerBody struct {
	r      io.Reader
	c      io.Closer
	cancel context.CancelFunc
}

func (a *answerBody) Read(p []byte) (int, error) { return a.r.Read(p) }

func (a *answerBody) Close() error {
	err := a.c.Close()
	a.cancel()
	return err
}
