package mcpbridge

import (
	"context"
	"encoding/json"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
)

// notification passes a client notification on, in order: the next
// message is read only once Anytype took this one, so that, for example,
// notifications/initialized arrives before the first call.
func (b *bridge) notification(n *jsonrpc.Request) {
	switch n.Method {
	case "notifications/initialized":
		b.mu.Lock()
		b.initialized = true
		b.mu.Unlock()
	case "notifications/cancelled":
		b.cancelCall(n)
		return
	}
	b.forward(n)
}

// forward sends a message that gets no answer to the current session.
func (b *bridge) forward(m jsonrpc.Message) {
	b.mu.Lock()
	up := b.up
	b.mu.Unlock()
	if up == nil || up.isDead() {
		return // nothing to tell it to; the next call opens a session
	}
	b.send(up, m)
}

func (b *bridge) send(up *upstream, m jsonrpc.Message) {
	ctx, cancel := context.WithTimeout(b.ctx, notifyTimeout)
	defer cancel()
	if err := up.conn.Write(ctx, m); err != nil && b.ctx.Err() == nil {
		b.logf("passing a notification to Anytype: %v", err)
	}
}

// cancelCall handles notifications/cancelled: Anytype hears of it if the
// call reached it, and the bridge stops waiting for the call either way.
func (b *bridge) cancelCall(n *jsonrpc.Request) {
	var p struct {
		RequestID any `json:"requestId"`
	}
	if json.Unmarshal(n.Params, &p) != nil {
		return
	}
	id, err := jsonrpc.MakeID(p.RequestID)
	if err != nil {
		return
	}
	b.mu.Lock()
	c := b.calls[id]
	var up *upstream
	if c != nil {
		c.cancelled = true
		up = c.up
	}
	b.mu.Unlock()
	if c == nil {
		return // answered already
	}
	if up != nil && !up.isDead() {
		b.send(up, n)
	}
	// Ends a wait for a slot or for Anytype's answer; a call whose answer
	// is being read finishes reading it (keyTransport), and the answer is
	// dropped.
	c.cancel()
	b.mu.Lock()
	waiting := !c.sent
	b.mu.Unlock()
	if !waiting {
		b.finish(c, nil, nil)
	}
}
