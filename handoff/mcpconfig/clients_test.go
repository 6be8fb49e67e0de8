package mcpconfig

import (
	"encoding/json"
	"strings"
	"testing"

	toml "github.com/pelletier/go-toml/v2"
)

func TestFilesPerOS(t *testing.T) {
	env := map[string]string{"APPDATA": `C:\Users\ann\AppData\Roaming`}
	get := func(k string) string { return env[k] }
	tests := []struct{ id, os, home, want string }{
		{"claude-desktop", "darwin", "/Users/ann", "/Users/ann/Library/Application Support/Claude/claude_desktop_config.json"},
		{"claude-desktop", "windows", `C:\Users\ann`, `C:\Users\ann\AppData\Roaming\Claude\claude_desktop_config.json`},
		{"claude-desktop", "linux", "/home/ann", "/home/ann/.config/Claude/claude_desktop_config.json"},
		{"claude-code", "linux", "/home/ann", "/home/ann/.claude.json"},
		{"cursor", "windows", `C:\Users\ann`, `C:\Users\ann\.cursor\mcp.json`},
		{"vscode", "linux", "/home/ann", "/home/ann/.config/Code/User/mcp.json"},
		{"vscode", "darwin", "/Users/ann", "/Users/ann/Library/Application Support/Code/User/mcp.json"},
		{"vscode", "windows", `C:\Users\ann`, `C:\Users\ann\AppData\Roaming\Code\User\mcp.json`},
		{"windsurf", "linux", "/home/ann", "/home/ann/.codeium/windsurf/mcp_config.json"},
		{"zed", "darwin", "/Users/ann", "/Users/ann/.config/zed/settings.json"},
		{"zed", "windows", `C:\Users\ann`, `C:\Users\ann\AppData\Roaming\Zed\settings.json`},
		{"codex", "linux", "/home/ann", "/home/ann/.codex/config.toml"},
		{"gemini", "linux", "/home/ann", "/home/ann/.gemini/settings.json"},
		{"cline", "linux", "/home/ann", "/home/ann/.cline/data/settings/cline_mcp_settings.json"},
		{"lm-studio", "linux", "/home/ann", "/home/ann/.lmstudio/mcp.json"},
		{"goose", "windows", `C:\Users\ann`, `C:\Users\ann\AppData\Roaming\Block\goose\config\config.yaml`},
		{"continue", "linux", "/home/ann", "/home/ann/.continue/config.yaml"},
	}
	for _, tt := range tests {
		c, ok := Lookup(tt.id)
		if !ok {
			t.Fatalf("no client %s", tt.id)
		}
		if got := c.File(Env{OS: tt.os, Home: tt.home, Getenv: get}); got != tt.want {
			t.Errorf("%s on %s: %s, want %s", tt.id, tt.os, got, tt.want)
		}
	}
	c, _ := Lookup("codex")
	if got := c.File(Env{OS: "linux", Home: "/h", Getenv: func(k string) string {
		return map[string]string{"CODEX_HOME": "/srv/codex"}[k]
	}}); got != "/srv/codex/config.toml" {
		t.Errorf("CODEX_HOME ignored: %s", got)
	}
}

// TestSnippetsParse checks every client's snippet in its own format and
// that the keyless entry holds no secret-looking variable.
func TestSnippetsParse(t *testing.T) {
	e := keyless("work")
	for _, c := range Clients() {
		s := c.Snippet(e)
		switch c.Format {
		case JSON, JSONC:
			var doc map[string]map[string]map[string]any
			if err := json.Unmarshal(s, &doc); err != nil {
				t.Fatalf("%s: %v\n%s", c.ID, err, s)
			}
			got := doc[c.Container][ServerName]
			if got["command"] != e.Command {
				t.Errorf("%s: command %v", c.ID, got["command"])
			}
		case TOML:
			var doc struct {
				S map[string]tomlEntry `toml:"mcp_servers"`
			}
			if err := toml.Unmarshal(s, &doc); err != nil || doc.S[ServerName].Command != e.Command {
				t.Fatalf("%s: %v\n%s", c.ID, err, s)
			}
		case YAML:
			if !strings.Contains(string(s), `"`+e.Command+`"`) || !strings.Contains(string(s), ServerName) {
				t.Errorf("%s:\n%s", c.ID, s)
			}
		}
		if strings.Contains(string(s), "OPENAPI_MCP_HEADERS") || strings.Contains(string(s), "Bearer") {
			t.Errorf("%s: keyless snippet mentions the key's variable:\n%s", c.ID, s)
		}
	}
}

func TestOwner(t *testing.T) {
	tests := []struct {
		e    Entry
		key  string
		ours bool
	}{
		{keyless("work"), "work", true},
		{Entry{Command: `C:\Program Files\anykey\anykey.exe`, Args: []string{"exec", "--mask", "k", "--", "npx"}}, "k", true},
		{Entry{Command: "/usr/bin/anykey", Args: []string{"exec", "old", "--", "npx"}}, "old", true},
		{Entry{Command: "npx", Args: []string{"-y", AnytypeMCP}}, "", false},
		{Entry{Command: "/usr/bin/anykey-other", Args: []string{"exec", "k"}}, "", false},
		{Entry{Command: "/usr/bin/anykey", Args: []string{"exec", "--mask"}}, "", false},
		{Entry{Command: "/tmp/renamed", Args: []string{"exec", "--mask", "k", "--", "npx"}}, "k", true},
		{Entry{Command: "/tmp/renamed", Args: []string{"exec", "k", "--", "npx"}}, "", false},
		// Names that start with "-" follow "--".
		{keyless("-x"), "-x", true},
		{keyless("--"), "--", true},
		{keyless("--mask"), "--mask", true},
		{Entry{Command: "/usr/bin/anykey", Args: []string{"exec", "--", "-old", "--", "npx"}}, "-old", true},
		{Entry{Command: "/usr/bin/anykey", Args: []string{"exec", "-old", "--", "npx"}}, "", false},
	}
	if a := keyless("-x").Args; strings.Join(a[:5], " ") != "exec --mask -- -x --" {
		t.Errorf("keyless entry for -x: %q", a)
	}
	for _, tt := range tests {
		key, ours := Owner(tt.e)
		if key != tt.key || ours != tt.ours {
			t.Errorf("Owner(%+v) = %q, %v", tt.e, key, ours)
		}
	}
}

func TestAddCommands(t *testing.T) {
	e := keyless("work")
	for _, tt := range []struct{ id, want string }{
		{"claude-code", `claude mcp add-json -s user anytype {"type":"stdio","command":"/opt/anykey/bin/anykey"`},
		{"vscode", `code --add-mcp {"name":"anytype","type":"stdio"`},
		{"codex", "codex mcp add anytype --env PATH=/usr/local/bin:/usr/bin:/bin -- /opt/anykey/bin/anykey exec --mask work -- /usr/local/bin/npx -y @anyproto/anytype-mcp"},
		{"gemini", "gemini mcp add -s user -e PATH=/usr/local/bin:/usr/bin:/bin anytype -- /opt/anykey/bin/anykey exec --mask work --"},
	} {
		c, _ := Lookup(tt.id)
		if got := strings.Join(c.AddCommand(e), " "); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: %s", tt.id, got)
		}
	}
	if c, _ := Lookup("cursor"); c.AddCommand(e) != nil {
		t.Error("cursor has no add command")
	}
}
