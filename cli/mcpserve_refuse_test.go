package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestMCPServeCannotStart: when mcp serve cannot start (here: no such
// key), the client's initialize is answered with a JSON-RPC error that says
// what stderr says, so the client shows why instead of "connection
// closed"; the message also goes to stderr as before, and the exit is 1.
func TestMCPServeCannotStart(t *testing.T) {
	t.Parallel()
	h, _ := mcpHarness(t)
	in := `{"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}` + "\n" +
		`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n"
	r := h.run(strings.NewReader(in), "mcp", "serve", "nope")
	if r.code != 1 || !strings.Contains(r.stderr, "no key named") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 1 {
		t.Fatalf("stdout holds %d lines, want the one answer to initialize:\n%s", len(lines), r.stdout)
	}
	var resp struct {
		ID    int `json:"id"`
		Error struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &resp); err != nil {
		t.Fatalf("the answer is not JSON-RPC: %v\n%s", err, lines[0])
	}
	t.Logf("answer: %s", resp.Error.Message)
	if resp.ID != 7 || resp.Error.Code == 0 || !strings.Contains(resp.Error.Message, "no key named") ||
		!strings.Contains(resp.Error.Message, "anykey list") || strings.Contains(resp.Error.Message, "anykey: ") {
		t.Errorf("answer %+v, want an error for id 7 saying what stderr says (with the hint, without the anykey: prefixes)\nstderr: %s", resp, r.stderr)
	}
}
