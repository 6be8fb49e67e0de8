package mcpconfig

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"

	"github.com/anykey-app/anykey/keystore"
)

// Entry is a stdio server entry: the program a client starts, its
// arguments, and the variables it adds to the client's short environment.
type Entry struct {
	Command string
	Args    []string
	Env     map[string]string
}

// Launch is what the keyless entry needs, resolved when the config is made,
// since a client starts the server with almost no environment (a PATH such
// as /usr/bin:/bin, no shell profile).
type Launch struct {
	// Anykey is the absolute path of the anykey binary, symlinks resolved.
	Anykey string
	// Key is the name of the saved key.
	Key string
	// Server is the anytype-mcp launcher: an absolute program path and its
	// arguments, e.g. [/usr/bin/npx -y @anyproto/anytype-mcp].
	Server []string
	// Path is the PATH the launcher needs (npx starts node through
	// `#!/usr/bin/env node`): the launcher's directory, then the system's.
	// It never holds a secret.
	Path string
	// ConfigDir is anykey's config directory when it is not the one anykey
	// finds from HOME alone; "" otherwise.
	ConfigDir string
}

// EnvConfigDir names the variable that points anykey at another config
// directory (where keys.json lives).
const EnvConfigDir = keystore.EnvDir

// AnytypeMCP is the npm package of Anytype's MCP server.
const AnytypeMCP = "@anyproto/anytype-mcp"

// Keyless is the entry that holds no key: the client starts anykey, which
// reads the key from the keychain and runs the server with it, masking the
// key in what the server prints on stderr.
func Keyless(l Launch) Entry {
	env := map[string]string{}
	if l.Path != "" {
		env["PATH"] = l.Path
	}
	if l.ConfigDir != "" {
		env[EnvConfigDir] = l.ConfigDir
	}
	args := []string{"exec", "--mask", l.Key, "--"}
	if strings.HasPrefix(l.Key, "-") {
		// exec reads a name that starts with "-" only after "--".
		args = []string{"exec", "--mask", "--", l.Key, "--"}
	}
	return Entry{Command: l.Anykey, Args: append(args, l.Server...), Env: env}
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

// Owner reports whether e is an anykey entry, and for which key name. An
// entry is anykey's when its arguments have the shape only anykey writes,
// "exec --mask NAME -- …" or, for a name that starts with "-",
// "exec --mask -- NAME -- …" (whatever the binary is called), or when an
// "anykey" binary runs "exec [--] NAME" (entries written by hand).
func Owner(e Entry) (key string, ours bool) {
	a := e.Args
	if len(a) >= 5 && a[0] == "exec" && a[1] == "--mask" && a[2] == "--" && a[4] == "--" {
		return a[3], true
	}
	if len(a) >= 4 && a[0] == "exec" && a[1] == "--mask" && a[2] != "--" && a[3] == "--" {
		return a[2], true
	}
	base := strings.ToLower(filepath.Base(strings.ReplaceAll(e.Command, `\`, "/")))
	base = strings.TrimSuffix(base, ".exe")
	if base != "anykey" || len(a) < 2 || a[0] != "exec" {
		return "", false
	}
	if a[1] == "--" && len(a) >= 3 {
		return a[2], true
	}
	if !strings.HasPrefix(a[1], "-") {
		return a[1], true
	}
	return "", false
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
