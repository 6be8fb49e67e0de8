package mcpconfig

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"

	"github.com/anykey-app/anykey/keystore"
)

// Entry is a stdio server entry: the program a client starts, its
// arguments, and the variables it adds to the client's short environment.
type Entry struct {
	Command string
	Args    []string
	Env     map[string]string
	// EnvVars names variables the client forwards from its own
	// environment. Only Codex has this (env_vars in its server table); it
	// passes a server nothing else beyond HOME, PATH, USER and a few more.
	EnvVars []string
	// raw is the entry as its file wrote it, when read from one.
	raw []byte
}

// Launch is what the keyless entry needs, resolved when the config is made.
type Launch struct {
	// Anykey is the path of the anykey binary the entry starts: absolute,
	// and one that lasts (packaging.LaunchPath).
	Anykey string
	// Key is the name of the saved key.
	Key string
	// Options follow the name in the entry's arguments (mcp serve's flags).
	Options []string
	// Home is HOME for anykey (Unix), "" to leave it out. Some clients
	// give a server only the entry's env (anthropics/claude-code#1254);
	// without HOME anykey cannot find its config directory or Node.
	Home string
	// ConfigDir is anykey's config directory when the entry must name it:
	// when it is not the one anykey finds from HOME alone, and on Windows,
	// where it is found from variables a bare client does not pass.
	ConfigDir string
}

// EnvConfigDir names the variable that points anykey at another config
// directory (where keys.json lives).
const EnvConfigDir = keystore.EnvDir

// AnytypeMCP is the npm package of Anytype's MCP server.
const AnytypeMCP = "@anyproto/anytype-mcp"

// SessionBusVar is the variable a Codex entry forwards: the session bus
// is how anykey reaches the Secret Service where no systemd user bus
// listens at /run/user/UID/bus.
const SessionBusVar = "DBUS_SESSION_BUS_ADDRESS"

// Keyless is the entry that holds no key: the client starts
// `anykey mcp serve NAME`, which reads the key from the keychain and
// serves MCP on stdio, through Anytype's own MCP endpoint or, on an older
// Anytype, through anytype-mcp run with the key in its environment. The
// same entry serves every Anytype version; nothing in it goes stale when
// Node or anytype-mcp move.
func Keyless(l Launch) Entry {
	env := map[string]string{}
	if l.Home != "" {
		env["HOME"] = l.Home
	}
	if l.ConfigDir != "" {
		env[EnvConfigDir] = l.ConfigDir
	}
	args := append([]string{"mcp", "serve", l.Key}, l.Options...)
	if strings.HasPrefix(l.Key, "-") {
		// A name that starts with "-" is read only after "--", so the
		// options go first.
		args = append(append([]string{"mcp", "serve"}, l.Options...), "--", l.Key)
	}
	return Entry{Command: l.Anykey, Args: args, Env: env, EnvVars: []string{SessionBusVar}}
}

// Inline is the entry with the key in its env, in plain text in the
// client's file: what Anytype's "Copy MCP config" gives.
func Inline(server []string, path string, vars map[string]string) Entry {
	env := map[string]string{}
	for k, v := range vars {
		env[k] = v
	}
	if path != "" {
		env["PATH"] = path
	}
	return Entry{Command: server[0], Args: append([]string{}, server[1:]...), Env: env}
}

// Form is which of anykey's entries a client's file holds.
type Form int

const (
	// NotOurs is an entry anykey did not write.
	NotOurs Form = iota
	// Serve is the current entry: `anykey mcp serve NAME`.
	Serve
	// ExecMask is the entry anykey wrote before mcp serve existed:
	// `anykey exec --mask NAME -- npx -y @anyproto/anytype-mcp`. It still
	// works while the npx it names exists; --install upgrades it.
	ExecMask
)

// Owner reports whether e is an anykey entry, and for which key name; see
// [EntryForm].
func Owner(e Entry) (key string, ours bool) {
	key, f := EntryForm(e)
	return key, f != NotOurs
}

// EntryForm tells anykey's entries apart, and which key each uses:
//   - Serve: an "anykey" binary running "mcp serve NAME …" or
//     "mcp serve [OPTIONS] -- NAME";
//   - ExecMask: arguments of the shape only anykey writes,
//     "exec --mask NAME -- …" or "exec --mask -- NAME -- …" (whatever the
//     binary is called), or an "anykey" binary running "exec [--] NAME"
//     (entries written by hand).
func EntryForm(e Entry) (key string, f Form) {
	a := e.Args
	if len(a) >= 5 && a[0] == "exec" && a[1] == "--mask" && a[2] == "--" && a[4] == "--" {
		return a[3], ExecMask
	}
	if len(a) >= 4 && a[0] == "exec" && a[1] == "--mask" && a[2] != "--" && a[3] == "--" {
		return a[2], ExecMask
	}
	base := strings.ToLower(filepath.Base(strings.ReplaceAll(e.Command, `\`, "/")))
	base = strings.TrimSuffix(base, ".exe")
	if base != "anykey" || len(a) < 2 {
		return "", NotOurs
	}
	if a[0] == "mcp" && a[1] == "serve" && len(a) >= 3 {
		if i := slices.Index(a, "--"); i >= 2 && i+1 < len(a) {
			return a[i+1], Serve
		}
		if !strings.HasPrefix(a[2], "-") {
			return a[2], Serve
		}
		return "", NotOurs
	}
	if a[0] != "exec" {
		return "", NotOurs
	}
	if a[1] == "--" && len(a) >= 3 {
		return a[2], ExecMask
	}
	if !strings.HasPrefix(a[1], "-") {
		return a[1], ExecMask
	}
	return "", NotOurs
}

// Program is the program e depends on that may vanish: its command, and
// for the exec --mask form also the launcher after "--" (an npx that a
// Node version manager put in a per-shell directory, Schniz/fnm#1366).
func Program(e Entry) []string {
	out := []string{e.Command}
	if _, f := EntryForm(e); f == ExecMask {
		if i := slices.Index(e.Args, "--"); i >= 0 && i+1 < len(e.Args) && e.Args[1] == "--mask" {
			rest := e.Args[i+1:]
			if e.Args[2] == "--" { // exec --mask -- NAME -- CMD
				if j := slices.Index(rest[1:], "--"); j >= 0 && j+2 < len(rest) {
					rest = rest[j+2:]
				} else {
					rest = nil
				}
			}
			if len(rest) > 0 {
				out = append(out, rest[0])
			}
		}
	}
	return out
}

// jsonEntry is an entry as JSON clients write it; field order is the one
// their documentation shows.
type jsonEntry struct {
	Type        string            `json:"type,omitempty"`
	Command     string            `json:"command"`
	Args        []string          `json:"args"`
	Env         map[string]string `json:"env,omitempty"`
	Disabled    *bool             `json:"disabled,omitempty"`
	AutoApprove *[]string         `json:"autoApprove,omitempty"`
}

func plainShape(e Entry) any { return jsonEntry{Command: e.Command, Args: nonNil(e.Args), Env: e.Env} }

func stdioShape(e Entry) any {
	return jsonEntry{Type: "stdio", Command: e.Command, Args: nonNil(e.Args), Env: e.Env}
}

// clineShape adds the fields Cline writes itself, so its settings panel
// shows the entry as it would show its own.
func clineShape(e Entry) any {
	off := false
	return jsonEntry{Type: "stdio", Command: e.Command, Args: nonNil(e.Args), Env: e.Env,
		Disabled: &off, AutoApprove: &[]string{}}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// marshal is json.MarshalIndent without HTML escaping (a path may hold &).
func marshal(v any, prefix, indent string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, indent)
	// Only strings, slices and maps of strings: encoding cannot fail.
	_ = enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Shape is e as an object in c's file, for JSON and TOML clients.
func (c Client) Shape(e Entry) any {
	if c.shape == nil {
		return plainShape(e)
	}
	return c.shape(e)
}

// Snippet is a ready piece of c's config file holding e under
// [ServerName], with a final newline: a whole JSON document for JSON
// clients, a table for Codex, YAML for Goose and Continue.
func (c Client) Snippet(e Entry) []byte {
	e = c.Fit(e)
	switch c.Format {
	case TOML:
		return tomlTable(e)
	case YAML:
		return yamlSnippet(c, e)
	}
	doc := map[string]map[string]any{c.Container: {ServerName: c.Shape(e)}}
	return append(marshal(doc, "", "  "), '\n')
}

// yamlSnippet writes Goose's extensions map or Continue's mcpServers list.
// Every scalar is a JSON string, which YAML reads as a double-quoted scalar,
// so no value needs YAML-specific quoting.
func yamlSnippet(c Client, e Entry) []byte {
	q := func(s string) string { return string(marshal(s, "", "")) }
	var b strings.Builder
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		args[i] = q(a)
	}
	list := "[" + strings.Join(args, ", ") + "]"
	env := func(indent, key string) {
		if len(e.Env) == 0 {
			return
		}
		b.WriteString(indent + key + ":\n")
		for _, k := range sortedKeys(e.Env) {
			b.WriteString(indent + "  " + q(k) + ": " + q(e.Env[k]) + "\n")
		}
	}
	if c.ID == "goose" {
		b.WriteString("extensions:\n  " + ServerName + ":\n")
		b.WriteString("    type: stdio\n    name: " + ServerName + "\n")
		b.WriteString("    cmd: " + q(e.Command) + "\n    args: " + list + "\n")
		env("    ", "envs")
		b.WriteString("    env_keys: []\n    enabled: true\n    timeout: 300\n")
		return []byte(b.String())
	}
	b.WriteString("mcpServers:\n  - name: " + ServerName + "\n    type: stdio\n")
	b.WriteString("    command: " + q(e.Command) + "\n    args: " + list + "\n")
	env("    ", "env")
	return []byte(b.String())
}
