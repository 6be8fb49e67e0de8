// Package mcpconfig knows how MCP clients (Claude Desktop, Claude Code,
// Cursor, VS Code, Windsurf, Zed, Codex, Gemini CLI, Cline, LM Studio,
// Goose, Continue) configure a local stdio server: where each keeps its
// user-level config file on each OS, the file's format, the shape of a
// server entry, the client's own command for adding one, and how it picks
// up a change. It builds anykey's keyless entry for anytype-mcp, prints it
// in each client's shape, and installs or removes it in the client's file
// without losing anything else in it. It has no UI: the CLI and the tray
// both use it.
//
// The facts come from each client's documentation and source, summarised
// with their confidence in docs/mcp-clients.md.
//
// Start with [Clients], [Keyless] and [Install].
package mcpconfig

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// ServerName is the name anykey's entry has in every client's file, the one
// Anytype's own "Copy MCP config" and anytype-mcp's README use.
const ServerName = "anytype"

// Format is a config file's syntax.
type Format int

const (
	// JSON is strict JSON: a comment or trailing comma breaks the client.
	JSON Format = iota
	// JSONC is JSON with comments and trailing commas.
	JSONC
	// TOML is Codex's config.toml.
	TOML
	// YAML is Goose's and Continue's config.yaml; anykey prints these
	// entries but does not edit YAML files.
	YAML
)

func (f Format) String() string {
	return [...]string{"JSON", "JSON with comments", "TOML", "YAML"}[f]
}

// Env is what a client's file location depends on. OS is a GOOS value.
type Env struct {
	OS     string
	Home   string
	Getenv func(string) string
}

func (e Env) get(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// join builds a path for e.OS, whatever OS runs it: Windows paths come
// out right in tests on Linux, and Unix paths in tests on Windows.
func (e Env) join(elem ...string) string {
	if e.OS == "windows" {
		return strings.Join(elem, `\`)
	}
	return path.Join(elem...)
}

// appData is %APPDATA% (Roaming) on Windows.
func (e Env) appData() string {
	if d := e.get("APPDATA"); d != "" {
		return d
	}
	return e.join(e.Home, "AppData", "Roaming")
}

// xdgConfig is $XDG_CONFIG_HOME, else ~/.config.
func (e Env) xdgConfig() string {
	if d := e.get("XDG_CONFIG_HOME"); d != "" && path.IsAbs(d) { // only asked off Windows
		return d
	}
	return e.join(e.Home, ".config")
}

// appSupport is where Electron apps keep their data: ~/Library/Application
// Support on macOS, %APPDATA% on Windows, $XDG_CONFIG_HOME elsewhere.
func (e Env) appSupport() string {
	switch e.OS {
	case "darwin":
		return e.join(e.Home, "Library", "Application Support")
	case "windows":
		return e.appData()
	default:
		return e.xdgConfig()
	}
}

// Client is one MCP client.
type Client struct {
	ID   string // the --client value, e.g. "claude-desktop"
	Name string // as its vendor writes it
	// Format of its user-level config file.
	Format Format
	// Container is the key (JSON, TOML) or list (Continue) holding servers.
	Container string
	// file returns the user-level config file; dir the directory whose
	// presence says the client is installed.
	file, dir func(Env) string
	// shape turns an entry into this client's JSON object.
	shape func(Entry) any
	// addCommand, when set, is the client's own command adding the entry.
	addCommand func(Entry) []string
	// Reload says how the client picks up a changed file.
	Reload string
	// ViaCLI names the program anykey runs to install instead of editing
	// the file (Claude Code rewrites its file itself).
	ViaCLI string
}

// File is the client's user-level config file on env's OS.
func (c Client) File(env Env) string { return c.file(env) }

// Dir is the directory whose presence means the client is (or was) set up
// on this machine.
func (c Client) Dir(env Env) string { return c.dir(env) }

// Editable reports whether anykey can install into the client's file.
func (c Client) Editable() bool { return c.Format != YAML }

// AddCommand is the client's own command line adding e, or nil.
func (c Client) AddCommand(e Entry) []string {
	if c.addCommand == nil {
		return nil
	}
	return c.addCommand(e)
}

// DefaultClient is the client whose shape `anykey mcp NAME` prints and the
// tray's "Copy MCP config" copies: the mcpServers document of Claude
// Desktop, which Cursor, Windsurf, LM Studio and most other clients read too.
const DefaultClient = "claude-desktop"

// Lookup returns the client with id.
func Lookup(id string) (Client, bool) {
	for _, c := range Clients() {
		if c.ID == id {
			return c, true
		}
	}
	return Client{}, false
}

// IDs lists every client id, in the order of [Clients].
func IDs() []string {
	var ids []string
	for _, c := range Clients() {
		ids = append(ids, c.ID)
	}
	return ids
}

// parent is the directory of path p on e.OS.
func (e Env) parent(p string) string {
	if e.OS == "windows" {
		if i := strings.LastIndexAny(p, `\/`); i > 0 {
			return p[:i]
		}
		return p
	}
	return path.Dir(p)
}

func parentOf(f func(Env) string) func(Env) string {
	return func(e Env) string { return e.parent(f(e)) }
}

// Clients lists the clients anykey knows, Claude Desktop first (its shape is
// the default one).
func Clients() []Client {
	claudeDesktop := func(e Env) string {
		// No official Linux build; community builds use ~/.config/Claude.
		return e.join(e.appSupport(), "Claude", "claude_desktop_config.json")
	}
	claudeCode := func(e Env) string {
		if d := e.get("CLAUDE_CONFIG_DIR"); d != "" {
			return e.join(d, ".claude.json")
		}
		return e.join(e.Home, ".claude.json")
	}
	vscode := func(e Env) string { return e.join(e.appSupport(), "Code", "User", "mcp.json") }
	zed := func(e Env) string {
		switch e.OS {
		case "windows":
			return e.join(e.appData(), "Zed", "settings.json")
		case "darwin":
			return e.join(e.Home, ".config", "zed", "settings.json")
		}
		return e.join(e.xdgConfig(), "zed", "settings.json")
	}
	codex := func(e Env) string {
		if d := e.get("CODEX_HOME"); d != "" {
			return e.join(d, "config.toml")
		}
		return e.join(e.Home, ".codex", "config.toml")
	}
	gemini := func(e Env) string {
		home := e.Home
		if d := e.get("GEMINI_CLI_HOME"); d != "" {
			home = d
		}
		return e.join(home, ".gemini", "settings.json")
	}
	cline := func(e Env) string {
		if p := e.get("CLINE_MCP_SETTINGS_PATH"); p != "" {
			return p
		}
		data := e.get("CLINE_DATA_DIR")
		if data == "" {
			dir := e.get("CLINE_DIR")
			if dir == "" {
				dir = e.join(e.Home, ".cline")
			}
			data = e.join(dir, "data")
		}
		return e.join(data, "settings", "cline_mcp_settings.json")
	}
	goose := func(e Env) string {
		if e.OS == "windows" {
			return e.join(e.appData(), "Block", "goose", "config", "config.yaml")
		}
		return e.join(e.Home, ".config", "goose", "config.yaml")
	}
	continueFile := func(e Env) string {
		if d := e.get("CONTINUE_GLOBAL_DIR"); d != "" {
			return e.join(d, "config.yaml")
		}
		return e.join(e.Home, ".continue", "config.yaml")
	}
	home := func(name ...string) func(Env) string {
		return func(e Env) string { return e.join(append([]string{e.Home}, name...)...) }
	}
	const restart = "quit and restart it"
	return []Client{
		{ID: "claude-desktop", Name: "Claude Desktop", Format: JSON, Container: "mcpServers",
			file: claudeDesktop, dir: parentOf(claudeDesktop), shape: plainShape,
			Reload: "quit Claude Desktop completely (also from the tray or menu bar) and start it again"},
		{ID: "claude-code", Name: "Claude Code", Format: JSON, Container: "mcpServers",
			file: claudeCode, dir: func(e Env) string { return e.join(e.parent(claudeCode(e)), ".claude") },
			shape: stdioShape, addCommand: claudeAdd, ViaCLI: "claude",
			Reload: "start a new Claude Code session (or run /mcp to reconnect)"},
		{ID: "cursor", Name: "Cursor", Format: JSON, Container: "mcpServers",
			file: home(".cursor", "mcp.json"), dir: home(".cursor"), shape: plainShape,
			Reload: "restart Cursor, or turn the server off and on in Settings › MCP"},
		{ID: "vscode", Name: "VS Code", Format: JSONC, Container: "servers",
			file: vscode, dir: func(e Env) string { return e.join(e.appSupport(), "Code") },
			shape: stdioShape, addCommand: vscodeAdd,
			Reload: "VS Code watches the file; start the server from the MCP view or its Restart code lens if it does not restart by itself"},
		{ID: "windsurf", Name: "Windsurf", Format: JSON, Container: "mcpServers",
			file: home(".codeium", "windsurf", "mcp_config.json"), dir: home(".codeium", "windsurf"),
			shape: plainShape, Reload: "press Refresh in Windsurf's MCP panel"},
		{ID: "zed", Name: "Zed", Format: JSONC, Container: "context_servers",
			file: zed, dir: parentOf(zed), shape: plainShape,
			Reload: "Zed applies its settings at once"},
		{ID: "codex", Name: "Codex CLI", Format: TOML, Container: "mcp_servers",
			file: codex, dir: parentOf(codex), shape: plainShape, addCommand: codexAdd,
			Reload: "start a new Codex session"},
		{ID: "gemini", Name: "Gemini CLI", Format: JSONC, Container: "mcpServers",
			file: gemini, dir: parentOf(gemini), shape: plainShape, addCommand: geminiAdd,
			Reload: "restart Gemini CLI, or run /mcp reload in it"},
		{ID: "cline", Name: "Cline", Format: JSON, Container: "mcpServers",
			file: cline, dir: func(e Env) string { return e.parent(e.parent(e.parent(cline(e)))) },
			shape: clineShape, Reload: "Cline watches the file and reconnects by itself"},
		{ID: "lm-studio", Name: "LM Studio", Format: JSON, Container: "mcpServers",
			file: home(".lmstudio", "mcp.json"), dir: home(".lmstudio"), shape: plainShape,
			Reload: restart},
		{ID: "goose", Name: "Goose", Format: YAML, Container: "extensions",
			file: goose, dir: parentOf(goose), Reload: restart},
		{ID: "continue", Name: "Continue", Format: YAML, Container: "mcpServers",
			file: continueFile, dir: parentOf(continueFile), Reload: "Continue reloads config.yaml when it is saved"},
	}
}

// Fit is e as c can hold it: env_vars only for Codex, the one client that
// reads them.
func (c Client) Fit(e Entry) Entry {
	if c.Format != TOML {
		e.EnvVars = nil
	}
	return e
}

// ExpansionError is an entry that a client would change before starting
// it: Gemini CLI replaces $VAR, ${VAR} and %VAR% in every command,
// argument and env value of settings.json with the variable's value, and
// has no escape for a literal "$" (google-gemini/gemini-cli#28228). A key
// named ci$USER would start the entry for the key "ciroot".
type ExpansionError struct {
	Client string // the client's name
	Value  string // the value Gemini would expand
	Ref    string // the part it would read as a variable
}

func (e *ExpansionError) Error() string {
	return fmt.Sprintf("%s would read %q in %q as a variable and start something else", e.Client, e.Ref, e.Value)
}

// geminiRef finds what Gemini CLI reads as a variable: $NAME, ${…} (its
// envVarResolver) and %NAME% (Windows style).
var geminiRef = regexp.MustCompile(`\$(\w+|\{[^}]*\})|%[^%\s]+%`)

// Check reports whether c would start e as written: an *[ExpansionError]
// for Gemini CLI when a value holds a variable reference.
func (c Client) Check(e Entry) error {
	if c.ID != "gemini" {
		return nil
	}
	vals := append([]string{e.Command}, e.Args...)
	for _, k := range sortedKeys(e.Env) {
		vals = append(vals, e.Env[k])
	}
	for _, v := range vals {
		if ref := geminiRef.FindString(v); ref != "" {
			return &ExpansionError{Client: c.Name, Value: v, Ref: ref}
		}
	}
	return nil
}
