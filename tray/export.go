package tray

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/anykey-app/anykey/auth"
)

// The same text as the CLI's `anykey env NAME` (sh) and `anykey mcp NAME`.
// The CLI lives in package main, which nothing can import; TODO(issue 3):
// move both formatters into one shared package and drop these copies.

// mcpHeaders is the value anytype-mcp reads from OPENAPI_MCP_HEADERS: a
// JSON object encoded as a string.
func mcpHeaders(key string) string {
	b, _ := json.Marshal(struct {
		Authorization string `json:"Authorization"`
		Version       string `json:"Anytype-Version"`
	}{"Bearer " + key, auth.APIVersion})
	return string(b)
}

// shellExports returns POSIX sh lines that export the variables tools read.
func shellExports(key, baseURL string) string {
	var b strings.Builder
	for _, kv := range [][2]string{
		{"ANYTYPE_API_KEY", key},
		{"ANYTYPE_APP_KEY", key}, // older tools
		{"ANYTYPE_API_BASE_URL", baseURL},
		{"OPENAPI_MCP_HEADERS", mcpHeaders(key)},
	} {
		fmt.Fprintf(&b, "export %s=%s\n", kv[0], shQuote(kv[1]))
	}
	return b.String()
}

// shQuote quotes s for sh: single quotes, with ' written as '\”.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// mcpConfig returns a ready MCP client config for anytype-mcp, the shape
// its README shows for Claude Desktop, Cursor and others.
func mcpConfig(key, baseURL string) (string, error) {
	type server struct {
		Command string            `json:"command"`
		Args    []string          `json:"args"`
		Env     map[string]string `json:"env"`
	}
	cfg := map[string]map[string]server{"mcpServers": {"anytype": {
		Command: "npx",
		Args:    []string{"-y", "@anyproto/anytype-mcp"},
		Env: map[string]string{
			"OPENAPI_MCP_HEADERS":  mcpHeaders(key),
			"ANYTYPE_API_BASE_URL": baseURL,
		},
	}}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(cfg); err != nil {
		return "", fmt.Errorf("encoding the mcp config: %w", err)
	}
	return buf.String(), nil
}
