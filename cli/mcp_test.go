package cli

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/anykey-app/anykey/handoff"
	"github.com/anykey-app/anykey/handoff/mcpconfig"
	"github.com/anykey-app/anykey/keystore"
)

// mcpEntry is a JSON client's server entry.
type mcpEntry struct {
	Command string            `json:"command"`
	Args    []string          `json:"args"`
	Env     map[string]string `json:"env"`
}

// fakeAnykey is the "installed" anykey the in-process tests' entries name:
// an executable file named anykey in a directory of the test run's own.
var fakeAnykey = sync.OnceValue(func() string {
	dir, err := os.MkdirTemp("", "anykey-fake-install-")
	if err != nil {
		panic(err)
	}
	addCleanupDir(dir)
	p := filepath.Join(dir, "anykey")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
		panic(err)
	}
	return p
})

func init() {
	executable = func() (string, error) { return fakeAnykey(), nil }
	launchPath = func(p string) (string, error) { return p, nil }
}

// mcpHarness is awkwardHarness with a HOME of its own and an npx on PATH.
func mcpHarness(t *testing.T) (*harness, string) {
	h := awkwardHarness(t)
	bin := t.TempDir()
	// Windows finds npx by PATHEXT: npm installs it as npx.cmd there.
	npx := filepath.Join(bin, "npx")
	if runtime.GOOS == "windows" {
		npx += ".cmd"
	}
	if err := os.WriteFile(npx, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	h.env["PATH"] = "relative/dir" + string(os.PathListSeparator) + bin + string(os.PathListSeparator) + "/usr/bin"
	h.env["HOME"] = t.TempDir()
	h.env["USERPROFILE"] = h.env["HOME"] // Windows' name for it
	h.env["APPDATA"] = filepath.Join(h.env["HOME"], "AppData", "Roaming")
	h.env["SHELL"] = "/bin/bash"
	return h, npx
}

func decodeMCP(t *testing.T, out string) mcpEntry {
	t.Helper()
	var cfg struct {
		Servers map[string]mcpEntry `json:"mcpServers"`
	}
	if err := json.Unmarshal([]byte(out), &cfg); err != nil {
		t.Fatalf("mcp output is not JSON: %v\n%s", err, out)
	}
	return cfg.Servers["anytype"]
}

func TestMCPKeyless(t *testing.T) {
	t.Parallel()
	h, npx := mcpHarness(t)
	r := h.run(nil, "mcp", "work")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, awkwardKey) || strings.Contains(r.stdout, "OPENAPI_MCP_HEADERS") {
		t.Fatalf("the default entry holds the key:\n%s", r.stdout)
	}
	s := decodeMCP(t, r.stdout)
	want := []string{"mcp", "serve", "work"}
	if s.Command != fakeAnykey() || strings.Join(s.Args, "\x00") != strings.Join(want, "\x00") {
		t.Fatalf("entry = %+v", s)
	}
	// HOME, for clients that pass only the entry's env; no PATH: Node is
	// found when the entry starts, not in the shell that made it. On
	// Windows the config dir itself: %APPDATA% is what leads there, and a
	// client's short environment may lack it (keylessEntry).
	want1 := map[string]string{"HOME": h.env["HOME"]}
	if runtime.GOOS == "windows" {
		want1 = map[string]string{mcpconfig.EnvConfigDir: defaultConfigDir()}
	}
	if !maps.Equal(s.Env, want1) || strings.Contains(r.stdout, npx) {
		t.Errorf("env = %v, want %v", s.Env, want1)
	}
	if !strings.Contains(r.stderr, "--install") {
		t.Errorf("no hint about --install: %s", r.stderr)
	}
}

func TestMCPInline(t *testing.T) {
	t.Parallel()
	h, npx := mcpHarness(t)
	r := h.run(nil, "mcp", "work", "--inline")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	s := decodeMCP(t, r.stdout)
	if s.Command != npx || s.Env["OPENAPI_MCP_HEADERS"] != handoff.MCPHeaders(awkwardKey) || s.Env["ANYTYPE_API_BASE_URL"] != "http://127.0.0.1:31012" {
		t.Fatalf("inline entry = %+v", s)
	}
	if !strings.Contains(r.stderr, "warning: --inline puts the key in plain text") {
		t.Errorf("no warning: %s", r.stderr)
	}
}

func TestMCPErrors(t *testing.T) {
	t.Parallel()
	h, _ := mcpHarness(t)
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"mcp"}, 2, "missing NAME"},
		{[]string{"mcp", "work", "--client", "emacs"}, 2, "unknown client"},
		{[]string{"mcp", "work", "--install", "cursor", "--uninstall", "cursor"}, 2, "exclude each other"},
		{[]string{"mcp", "nope"}, 1, "no key named"},
		{[]string{"mcp", "work", "--install", "goose"}, 1, "does not edit"},
		{[]string{"mcp", "work", "--install", "continue"}, 1, "does not edit"},
	} {
		r := h.run(nil, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: %d %q", tt.args, r.code, r.stderr)
		}
	}
	// No npx on PATH: --inline takes the system's, or says none was found
	// (handoff/npx's tests cover each place it looks).
	h.env["PATH"] = "/nonexistent"
	r := h.run(nil, "mcp", "work", "--inline")
	if _, _, err := findNode(h.env["HOME"], func(k string) string { return h.env[k] }); err != nil {
		if r.code != 1 || !strings.Contains(r.stderr, "npx (Node.js) is not on PATH, nor where nvm, fnm, volta, asdf or mise keep it") {
			t.Errorf("no npx, --inline: %d %q", r.code, r.stderr)
		}
	} else if r.code != 0 {
		t.Errorf("--inline with a system npx: %d %q", r.code, r.stderr)
	}
	// The keyless entry does not depend on the shell's PATH.
	if r := h.run(nil, "mcp", "work"); r.code != 0 {
		t.Errorf("no npx, keyless: %d %q", r.code, r.stderr)
	}
}

func TestMCPClientsAndAddCommands(t *testing.T) {
	t.Parallel()
	h, _ := mcpHarness(t)
	for _, id := range mcpconfig.IDs() {
		r := h.run(nil, "mcp", "work", "--client", id)
		if r.code != 0 || len(r.stdout) == 0 {
			t.Errorf("%s: %d %s", id, r.code, r.stderr)
		}
	}
	r := h.run(nil, "mcp", "work", "--client", "claude-code")
	if !strings.Contains(r.stderr, `hint: or let Claude Code add it: claude mcp add-json -s user anytype '{"type":"stdio",`) {
		t.Errorf("claude-code command line not shown quoted for bash: %s", r.stderr)
	}
	h.env["SHELL"] = "/usr/bin/fish"
	r = h.run(nil, "mcp", "work", "--client", "vscode")
	if !strings.Contains(r.stderr, `code --add-mcp '{"name":"anytype"`) {
		t.Errorf("vscode command line: %s", r.stderr)
	}
}

func TestMCPInstallCycle(t *testing.T) {
	t.Parallel()
	h, _ := mcpHarness(t)
	file := filepath.Join(h.env["HOME"], ".cursor", "mcp.json")
	r := h.run(nil, "mcp", "work", "--install", "cursor")
	if r.code != 0 || !strings.Contains(r.stderr, "added anykey's entry for \"work\" to "+file) || !strings.Contains(r.stderr, "restart Cursor") {
		t.Fatalf("install: %d %s", r.code, r.stderr)
	}
	if r := h.run(nil, "mcp", "work", "--install", "cursor"); r.code != 0 || !strings.Contains(r.stderr, "nothing changed") {
		t.Errorf("second install: %d %s", r.code, r.stderr)
	}
	r = h.run(nil, "mcp", "--clients")
	if r.code != 0 || !strings.Contains(r.stdout, "cursor") || !strings.Contains(r.stdout, "anykey, key work") {
		t.Errorf("--clients: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if err := h.store.Set(t.Context(), keystore.Entry{Name: "home", APIURL: "http://127.0.0.1:31009"}, "k2", false); err != nil {
		t.Fatal(err)
	}
	if r := h.run(nil, "mcp", "home", "--install", "cursor"); r.code != 1 || !strings.Contains(r.stderr, "--force replaces it") {
		t.Errorf("other key: %d %s", r.code, r.stderr)
	}
	if r := h.run(nil, "mcp", "home", "--install", "cursor", "--force"); r.code != 0 || !strings.Contains(r.stderr, "previous file is kept as "+file+mcpconfig.BackupSuffix) {
		t.Errorf("--force: %d %s", r.code, r.stderr)
	}
	if r := h.run(nil, "mcp", "home", "--uninstall", "cursor"); r.code != 0 || !strings.Contains(r.stderr, "removed") {
		t.Errorf("uninstall: %d %s", r.code, r.stderr)
	}
	os.WriteFile(file, []byte("{ not json"), 0o600)
	if r := h.run(nil, "mcp", "work", "--install", "cursor"); r.code != 1 || !strings.Contains(r.stderr, file) || !strings.Contains(r.stderr, "left it as it was") {
		t.Errorf("unparsable: %d %s", r.code, r.stderr)
	}
}

func TestMCPWarnsScopedKey(t *testing.T) {
	t.Parallel()
	h, _ := mcpHarness(t)
	e := keystore.Entry{Name: "scoped", APIURL: "http://127.0.0.1:31009", Grant: json.RawMessage(`{"all_spaces":false,"space_ids":["a"],"permission":"read"}`)}
	if err := h.store.Set(t.Context(), e, "k", false); err != nil {
		t.Fatal(err)
	}
	r := h.run(nil, "mcp", "scoped")
	if !strings.Contains(r.stderr, `warning: key "scoped" is scoped (1 space, read-only)`) {
		t.Errorf("no scope warning: %s", r.stderr)
	}
	if r := h.run(nil, "mcp", "work"); strings.Contains(r.stderr, "scoped") {
		t.Errorf("warned for a full key: %s", r.stderr)
	}
}

// TestMCPAddCommandShells: the add command is quoted for $SHELL, and a
// shell anykey cannot quote for is named. Without SHELL it is quoted for
// sh, and on Windows for PowerShell, its default shell.
func TestMCPAddCommandShells(t *testing.T) {
	t.Parallel()
	pwsh := ` '--' mcp serve 'my key'`
	none := ` -- mcp serve 'my key'`
	if runtime.GOOS == "windows" {
		none = pwsh
	}
	for shell, want := range map[string]string{
		"/usr/bin/pwsh":      pwsh,
		"/usr/local/bin/zsh": ` -- mcp serve 'my key'`,
		"":                   none,
		"/bin/tcsh":          "(quoted for sh, not tcsh)",
	} {
		h, _ := mcpHarness(t)
		h.env["SHELL"] = shell
		if err := h.store.Set(t.Context(), keystore.Entry{Name: "my key", APIURL: h.srv.URL()}, "k", false); err != nil {
			t.Fatal(err)
		}
		r := h.run(nil, "mcp", "my key", "--client", "gemini")
		_, line, ok := strings.Cut(r.stderr, "add it: gemini mcp add -s user ")
		if line, _, _ = strings.Cut(line, "\n"); !ok || !strings.Contains(line, want) {
			t.Errorf("SHELL=%q: %q lacks %q", shell, line, want)
		}
	}
}

func TestQuotesLost(t *testing.T) {
	t.Parallel()
	json := []string{"code", "--add-mcp", `{"name":"anytype"}`}
	plain := []string{"codex", "mcp", "add", "anytype", "--", "anykey"}
	for _, tt := range []struct {
		goos, shell string
		argv        []string
		want        bool
	}{
		{"windows", "powershell", json, true},
		{"windows", "pwsh", json, true},
		{"windows", "powershell", plain, false},
		{"linux", "pwsh", json, false},
		{"windows", "bash", json, false},
	} {
		if got := quotesLost(tt.goos, tt.shell, tt.argv); got != tt.want {
			t.Errorf("quotesLost(%s, %s, %q) = %v", tt.goos, tt.shell, tt.argv, got)
		}
	}
}
