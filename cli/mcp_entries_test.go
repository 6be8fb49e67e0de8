package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/handoff"
	"github.com/anykey-app/anykey/handoff/mcpconfig"
	"github.com/anykey-app/anykey/keystore"
	"github.com/anykey-app/anykey/packaging"
)

// TestMCPGeminiRefusesExpansion: a name Gemini CLI would expand
// (google-gemini/gemini-cli#28228) is refused for Gemini, printed or
// installed, with a clear message; other clients take it.
func TestMCPGeminiRefusesExpansion(t *testing.T) {
	t.Parallel()
	h, _ := mcpHarness(t)
	for _, name := range []string{"ci$USER", "a${HOME}", "%APPDATA%"} {
		if err := h.store.Set(t.Context(), keystore.Entry{Name: name, APIURL: h.srv.URL()}, "k", false); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"mcp", "--client", "gemini", "--", name}, {"mcp", "--install", "gemini", "--", name}} {
			r := h.run(nil, args...)
			if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "Gemini CLI would read") || !strings.Contains(r.stderr, "gemini-cli#28228") {
				t.Errorf("%q: %d %q %q", args, r.code, r.stdout, r.stderr)
			}
		}
		if _, err := os.Stat(filepath.Join(h.env["HOME"], ".gemini")); err == nil {
			t.Errorf("%q: Gemini's settings were written", name)
		}
		if r := h.run(nil, "mcp", "--client", "cursor", "--", name); r.code != 0 {
			t.Errorf("%q for cursor: %d %s", name, r.code, r.stderr)
		}
	}
}

// TestMCPHints: Gemini's hint names its trusted-folder rule and its add
// command puts the name and the command before "--"; goose and continue,
// whose files anykey does not edit, say to add the entry by hand to FILE.
func TestMCPHints(t *testing.T) {
	t.Parallel()
	h, _ := mcpHarness(t)
	r := h.run(nil, "mcp", "work", "--client", "gemini")
	want := "gemini mcp add -s user -e HOME=" + h.env["HOME"] + " anytype " + fakeAnykey() + " -- mcp serve work"
	if runtime.GOOS == "windows" { // ANYKEY_CONFIG_DIR instead of HOME, quoted paths
		want = " -- mcp serve work"
	}
	if !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "folders you trust") {
		t.Errorf("gemini: %s", r.stderr)
	}
	for _, id := range []string{"goose", "continue"} {
		c, _ := mcpconfig.Lookup(id)
		r := h.run(nil, "mcp", "work", "--client", id)
		file := c.File(mcpconfig.Env{OS: runtime.GOOS, Home: h.env["HOME"], Getenv: func(k string) string { return h.env[k] }})
		if r.code != 0 || !strings.Contains(r.stderr, "add it by hand to "+file) || strings.Contains(r.stderr, "--install") {
			t.Errorf("%s: %d %s", id, r.code, r.stderr)
		}
	}
}

// writeClientFile puts data into client id's file under the harness's HOME.
func writeClientFile(t *testing.T, h *harness, id, data string) string {
	t.Helper()
	c, _ := mcpconfig.Lookup(id)
	file := c.File(mcpconfig.Env{OS: runtime.GOOS, Home: h.env["HOME"], Getenv: func(k string) string { return h.env[k] }})
	os.MkdirAll(filepath.Dir(file), 0o700)
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestMCPClientsOldAndDead: mcp --clients tells the old exec --mask entry
// from the current one, flags an entry whose program is gone (an fnm
// per-shell npx, Schniz/fnm#1366) and says what to run; --install
// upgrades the old entry without --force, and a second time changes
// nothing.
func TestMCPClientsOldAndDead(t *testing.T) {
	t.Parallel()
	h, npx := mcpHarness(t)
	gone := filepath.Join(h.env["HOME"], ".local", "state", "fnm_multishells", "4242_1700000000", "bin", "npx")
	goneServer := filepath.Join(h.env["HOME"], "uninstalled", "anytype-mcp")
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	writeClientFile(t, h, "cursor", `{"mcpServers":{"anytype":{"command":`+q(fakeAnykey())+`,"args":["exec","--mask","work","--",`+q(gone)+`,"-y","@anyproto/anytype-mcp"]}}}`)
	writeClientFile(t, h, "windsurf", `{"mcpServers":{"anytype":{"command":`+q(fakeAnykey())+`,"args":["exec","--mask","work","--",`+q(npx)+`,"-y","@anyproto/anytype-mcp"]}}}`)
	writeClientFile(t, h, "lm-studio", `{"mcpServers":{"anytype":{"command":`+q(goneServer)+`}}}`)
	r := h.run(nil, "mcp", "--clients")
	rows := map[string]string{}
	for _, l := range strings.Split(r.stdout, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			rows[f[0]] = l
		}
	}
	for id, want := range map[string]string{
		"cursor":    "DEAD (" + gone + " is gone), anykey (old exec --mask form), key work",
		"windsurf":  "anykey (old exec --mask form), key work",
		"lm-studio": "DEAD (" + goneServer + " is gone), other",
	} {
		if !strings.Contains(rows[id], want) {
			t.Errorf("%s row %q, want %q", id, rows[id], want)
		}
	}
	for _, want := range []string{
		"cursor: the entry starts " + gone + ", which is gone; anykey mcp --install cursor work writes an entry that lasts",
		"windsurf: anykey mcp --install windsurf work upgrades the old entry",
		"lm-studio: the entry starts " + goneServer + ", which is gone; anykey mcp --install lm-studio --force NAME",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("--clients lacks %q:\n%s", want, r.stderr)
		}
	}
	for _, id := range []string{"cursor", "windsurf"} {
		if r := h.run(nil, "mcp", "work", "--install", id); r.code != 0 || !strings.Contains(r.stderr, "replaced") {
			t.Errorf("upgrade %s: %d %s", id, r.code, r.stderr)
		}
		if r := h.run(nil, "mcp", "work", "--install", id); r.code != 0 || !strings.Contains(r.stderr, "nothing changed") {
			t.Errorf("upgrade %s twice: %d %s", id, r.code, r.stderr)
		}
	}
	r = h.run(nil, "mcp", "--clients")
	if strings.Count(r.stdout, "anykey, key work") != 2 || strings.Contains(r.stdout, "exec --mask") || strings.Contains(r.stderr, "cursor:") {
		t.Errorf("after the upgrade:\n%s%s", r.stdout, r.stderr)
	}
}

// TestMCPForceDropsKeyedBackup: replacing Anytype's own "Copy MCP config"
// entry, which holds the key, keeps no backup and says how to revoke it.
func TestMCPForceDropsKeyedBackup(t *testing.T) {
	t.Parallel()
	h, _ := mcpHarness(t)
	const secret = "old-anytype-key-0123456789"
	file := writeClientFile(t, h, "cursor", `{"mcpServers":{"anytype":{"command":"npx","args":["-y","@anyproto/anytype-mcp"],"env":{"OPENAPI_MCP_HEADERS":"{\"Authorization\":\"Bearer `+secret+`\", \"Anytype-Version\":\"2025-11-08\"}"}}}}`)
	r := h.run(nil, "mcp", "--clients")
	if !strings.Contains(r.stdout, "holds a key in plain text") {
		t.Errorf("--clients: %s", r.stdout)
	}
	if r := h.run(nil, "mcp", "work", "--install", "cursor"); r.code != 1 || !strings.Contains(r.stderr, "no backup is kept") {
		t.Errorf("without --force: %d %s", r.code, r.stderr)
	}
	r = h.run(nil, "mcp", "work", "--install", "cursor", "--force")
	if r.code != 0 || !strings.Contains(r.stderr, "held an API key in plain text") || !strings.Contains(r.stderr, "revoke it in Anytype") || strings.Contains(r.stderr, "previous file is kept") {
		t.Errorf("--force: %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(file + mcpconfig.BackupSuffix); err == nil {
		t.Error("a backup was kept")
	}
	if b, _ := os.ReadFile(file); strings.Contains(string(b), secret) {
		t.Errorf("the key is still in the file: %s", b)
	}
}

// TestRmNamesClientEntries: rm says which client entries still start the
// removed key.
func TestRmNamesClientEntries(t *testing.T) {
	t.Parallel()
	h, _ := mcpHarness(t)
	for _, id := range []string{"cursor", "codex"} {
		if r := h.run(nil, "mcp", "work", "--install", id); r.code != 0 {
			t.Fatalf("install %s: %s", id, r.stderr)
		}
	}
	r := h.run(nil, "rm", "work")
	home := h.env["HOME"]
	if r.code != 0 || !strings.Contains(r.stderr, `MCP client entries still start key "work", and will fail: cursor (`+filepath.Join(home, ".cursor", "mcp.json")+`), codex (`+filepath.Join(home, ".codex", "config.toml")+`)`) ||
		!strings.Contains(r.stderr, "anykey mcp --uninstall CLIENT "+handoff.NameArg("work")) {
		t.Errorf("rm: %d %s", r.code, r.stderr)
	}
	if r := h.run(nil, "rm", "home"); strings.Contains(r.stderr, "MCP client entries") {
		t.Errorf("rm of an unused key: %s", r.stderr)
	}
}

// TestTrayRefusesTempBinary: the tray's Copy MCP config and Connect to
// build the entry as the CLI does, and refuse go test's binary (in the
// temp dir, like go run's) with the install hint in the notification's
// text. Not parallel: it swaps the package's executable hooks back to the
// real ones while no parallel test runs.
func TestTrayRefusesTempBinary(t *testing.T) {
	oldExe, oldLaunch := executable, launchPath
	executable, launchPath = os.Executable, packaging.LaunchPath
	defer func() { executable, launchPath = oldExe, oldLaunch }()
	conn := trayConnector(nil)
	if cfg, err := conn.Config("work"); err == nil || !strings.Contains(err.Error(), "an MCP client entry must not start") ||
		!strings.Contains(err.Error(), packaging.InstallFirst) || cfg != nil {
		t.Errorf("Copy MCP config: %q, %v", cfg, err)
	}
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".cursor"), 0o700)
	conn.Env = mcpconfig.Env{OS: runtime.GOOS, Home: home, Getenv: func(string) string { return "" }}
	if _, _, err := conn.Connect(t.Context(), "cursor", "work", true); err == nil || !strings.Contains(err.Error(), "must not start") {
		t.Errorf("Connect to: %v", err)
	}
	if _, err := os.Stat(filepath.Join(home, ".cursor", "mcp.json")); err == nil {
		t.Error("Connect to wrote the file")
	}
}
