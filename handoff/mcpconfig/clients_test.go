package mcpconfig

import (
	"context"
	"encoding/json"
	"errors"
	"os"
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
	old := func(args ...string) Entry { return Entry{Command: "/usr/bin/anykey", Args: args} }
	tests := []struct {
		e    Entry
		key  string
		form Form
	}{
		{keyless("work"), "work", Serve},
		{Entry{Command: `C:\Program Files\anykey\anykey.exe`, Args: []string{"mcp", "serve", "k"}}, "k", Serve},
		{Entry{Command: "/usr/bin/anykey", Args: []string{"mcp", "serve", "k", "--tier", "full"}}, "k", Serve},
		{Entry{Command: "/usr/bin/anykey", Args: []string{"mcp", "serve", "--tier", "full", "--", "-k"}}, "-k", Serve},
		{Entry{Command: "/usr/bin/anykey", Args: []string{"mcp", "serve", "--tier"}}, "", NotOurs},
		{Entry{Command: "/usr/bin/other", Args: []string{"mcp", "serve", "k"}}, "", NotOurs},
		{Entry{Command: `C:\Program Files\anykey\anykey.exe`, Args: []string{"exec", "--mask", "k", "--", "npx"}}, "k", ExecMask},
		{old("exec", "old", "--", "npx"), "old", ExecMask},
		{Entry{Command: "npx", Args: []string{"-y", AnytypeMCP}}, "", NotOurs},
		{Entry{Command: "/usr/bin/anykey-other", Args: []string{"exec", "k"}}, "", NotOurs},
		{old("exec", "--mask"), "", NotOurs},
		{Entry{Command: "/tmp/renamed", Args: []string{"exec", "--mask", "k", "--", "npx"}}, "k", ExecMask},
		{Entry{Command: "/tmp/renamed", Args: []string{"exec", "k", "--", "npx"}}, "", NotOurs},
		// Names that start with "-" follow "--".
		{keyless("-x"), "-x", Serve},
		{keyless("--"), "--", Serve},
		{keyless("--mask"), "--mask", Serve},
		{old("exec", "--mask", "--", "-x", "--", "npx"), "-x", ExecMask},
		{old("exec", "--", "-old", "--", "npx"), "-old", ExecMask},
		{old("exec", "-old", "--", "npx"), "", NotOurs},
	}
	if a := keyless("work").Args; strings.Join(a, " ") != "mcp serve work" {
		t.Errorf("keyless entry for work: %q", a)
	}
	if a := Keyless(Launch{Anykey: "/a/anykey", Key: "w", Options: []string{"--tier", "full"}}).Args; strings.Join(a, " ") != "mcp serve w --tier full" {
		t.Errorf("keyless entry with options: %q", a)
	}
	if a := Keyless(Launch{Anykey: "/a/anykey", Key: "-x", Options: []string{"--tier", "full"}}).Args; strings.Join(a, " ") != "mcp serve --tier full -- -x" {
		t.Errorf("keyless entry for -x: %q", a)
	}
	for _, tt := range tests {
		key, form := EntryForm(tt.e)
		if key != tt.key || form != tt.form {
			t.Errorf("EntryForm(%+v) = %q, %v; want %q, %v", tt.e, key, form, tt.key, tt.form)
		}
		if k, ours := Owner(tt.e); k != tt.key || ours != (tt.form != NotOurs) {
			t.Errorf("Owner(%+v) = %q, %v", tt.e, k, ours)
		}
	}
}

// TestProgram: the programs an entry depends on, which mcp --clients checks.
func TestProgram(t *testing.T) {
	for _, tt := range []struct {
		e    Entry
		want string
	}{
		{keyless("w"), "/opt/anykey/bin/anykey"},
		{Entry{Command: "/a/anykey", Args: []string{"exec", "--mask", "w", "--", "/fnm/npx", "-y"}}, "/a/anykey /fnm/npx"},
		{Entry{Command: "/a/anykey", Args: []string{"exec", "--mask", "--", "-w", "--", "/fnm/npx"}}, "/a/anykey /fnm/npx"},
		{Entry{Command: "/a/anykey", Args: []string{"exec", "--mask", "--", "-w", "--"}}, "/a/anykey"},
		{Entry{Command: "npx", Args: []string{"-y", AnytypeMCP}}, "npx"},
	} {
		if got := strings.Join(Program(tt.e), " "); got != tt.want {
			t.Errorf("Program(%v) = %q, want %q", tt.e.Args, got, tt.want)
		}
	}
}

// TestGeminiCheck: every spelling Gemini expands is refused for Gemini,
// and only for Gemini; a lone "$" or "%" is not a reference.
func TestGeminiCheck(t *testing.T) {
	g, _ := Lookup("gemini")
	cur, _ := Lookup("cursor")
	for _, tt := range []struct {
		name string
		ref  string
	}{
		{"ci$USER", "$USER"}, {"a${HOME}b", "${HOME}"}, {"%APPDATA%", "%APPDATA%"}, {"x$_y", "$_y"},
		{"plain", ""}, {"cost$", ""}, {"50% off", ""}, {"$-x", ""}, {"a%b c%", ""},
	} {
		e := keyless(tt.name)
		err := g.Check(e)
		var xe *ExpansionError
		if tt.ref == "" && err != nil || tt.ref != "" && (!errors.As(err, &xe) || xe.Ref != tt.ref) {
			t.Errorf("gemini, key %q: %v, want ref %q", tt.name, err, tt.ref)
		}
		if err := cur.Check(e); err != nil {
			t.Errorf("cursor, key %q: %v", tt.name, err)
		}
		if err == nil {
			continue
		}
		env := testEnv(t)
		if _, ierr := Install(context.Background(), g, env, e, true); !errors.As(ierr, &xe) {
			t.Errorf("Install into gemini, key %q: %v", tt.name, ierr)
		}
		if _, serr := os.Stat(g.File(env)); serr == nil {
			t.Errorf("Install into gemini, key %q wrote the file", tt.name)
		}
	}
	home := Keyless(Launch{Anykey: "/a/anykey", Key: "w", Home: "/home/$weird"})
	if g.Check(home) == nil {
		t.Error("a HOME value Gemini expands passed")
	}
}

func TestAddCommands(t *testing.T) {
	e := keyless("work")
	for _, tt := range []struct{ id, want string }{
		{"claude-code", `claude mcp add-json -s user anytype {"type":"stdio","command":"/opt/anykey/bin/anykey","args":["mcp","serve","work"],"env":{"HOME":"/home/u"}}`},
		{"vscode", `code --add-mcp {"name":"anytype","type":"stdio","command":"/opt/anykey/bin/anykey","args":["mcp","serve","work"]`},
		{"gemini", "gemini mcp add -s user -e HOME=/home/u anytype /opt/anykey/bin/anykey -- mcp serve work"},
	} {
		c, _ := Lookup(tt.id)
		if got := strings.Join(c.AddCommand(e), " "); got != tt.want && !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: %s", tt.id, got)
		}
	}
	// Codex's add command has no flag for env_vars, which the entry needs.
	for _, id := range []string{"cursor", "codex"} {
		if c, _ := Lookup(id); c.AddCommand(c.Fit(e)) != nil {
			t.Errorf("%s: an add command", id)
		}
	}
	c, _ := Lookup("codex")
	if got := strings.Join(c.AddCommand(Entry{Command: "/x", Args: []string{"a"}, Env: map[string]string{"K": "a=b"}}), " "); got != "codex mcp add anytype --env K=a=b -- /x a" {
		t.Errorf("codex: %s", got)
	}
}
