package mcpbridge

import (
	"context"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// CodeNotStarted: `anykey mcp serve` could not start (no such key, the
// keychain, no Node.js for anytype-mcp, …); the message says why and what
// to do, as its stderr does.
const CodeNotStarted = -32008

// Refuse answers every call the client writes on local with e, until the
// client's input ends, ctx ends, or idle passes without a message: for a
// server that cannot start, so that the client shows why instead of a
// closed connection. Notifications get no answer.
func Refuse(ctx context.Context, local mcp.Transport, e *jsonrpc.Error, idle time.Duration) error {
	conn, err := local.Connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for {
		rctx, cancel := context.WithTimeout(ctx, idle)
		msg, err := conn.Read(rctx)
		cancel()
		if err != nil {
			return nil // end of input, idle, or a stream that cannot be read
		}
		if r, ok := msg.(*jsonrpc.Request); ok && r.IsCall() {
			if err := conn.Write(ctx, &jsonrpc.Response{ID: r.ID, Error: e}); err != nil {
				return err
			}
		}
	}
}
