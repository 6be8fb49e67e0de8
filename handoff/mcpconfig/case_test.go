package mcpconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeysAreCaseSensitive: the clients read "command", "args" and the
// container exactly (JavaScript, Rust); an entry spelt "Command"/"Args", or
// Codex's table under "MCP_SERVERS", is one they do not run, so it must not
// be reported as anykey's entry (issue 21: encoding/json's case-insensitive
// struct decoding said it was installed).
func TestKeysAreCaseSensitive(t *testing.T) {
	args := `["exec", "--mask", "--", "work", "--", "npx", "-y", "@anyproto/anytype-mcp"]`
	tried := 0
	for _, c := range Clients() {
		if !c.Editable() {
			continue
		}
		for _, exact := range []bool{true, false} {
			env := testEnv(t)
			file := c.File(env)
			os.MkdirAll(filepath.Dir(file), 0o700)
			var body string
			switch {
			case c.Format == TOML && exact:
				body = "[mcp_servers.anytype]\ncommand = \"/opt/anykey\"\nargs = " + args + "\n"
			case c.Format == TOML:
				body = "[MCP_SERVERS.anytype]\ncommand = \"/opt/anykey\"\nargs = " + args + "\n" +
					"[mcp_servers.anytype]\nCommand = \"/opt/anykey\"\nArgs = " + args + "\n"
			case exact:
				body = `{"` + c.Container + `": {"anytype": {"command": "/opt/anykey", "args": ` + args + `}}}`
			default:
				body = `{"` + c.Container + `": {"anytype": {"Command": "/opt/anykey", "ARGS": ` + args + `}}}`
			}
			if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			st, err := c.ReadStatus(env)
			tried++
			switch {
			case err != nil:
				t.Errorf("%s exact=%v: %v", c.ID, exact, err)
			case exact && (!st.Ours || st.Key != "work"):
				t.Errorf("%s: the exact entry is not recognised: %+v", c.ID, st)
			case !exact && (st.Ours || st.Entry != nil && (st.Entry.Command != "" || len(st.Entry.Args) > 0)):
				t.Errorf("%s: %s read as %+v, which the client does not run", c.ID, strings.TrimSpace(body), st.Entry)
			}
		}
	}
	t.Logf("%d files tried", tried)
}
