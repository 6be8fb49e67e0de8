package mcpconfig

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

func testEnv(t *testing.T) Env {
	return Env{OS: runtime.GOOS, Home: t.TempDir(), Getenv: func(string) string { return "" }}
}

func keyless(key string) Entry {
	return Keyless(Launch{Anykey: "/opt/anykey/bin/anykey", Key: key, Home: "/home/u"})
}

// fixture is an existing config file with another server, another
// top-level key and, where the format has them, comments.
func fixture(c Client) (data string, keep []string) {
	switch c.Format {
	case TOML:
		return `# my Codex settings
model = "o4" # the model

[mcp_servers.other]
command = "other-server" # keep me
args = ["--flag"]

# profiles below
[profiles.fast]
model = "mini"
`, []string{"# my Codex settings", `model = "o4" # the model`, "# keep me", "# profiles below", "[profiles.fast]", `args = ["--flag"]`}
	case JSONC:
		return `{
    // editor settings
    "theme": "dark",
    "` + c.Container + `": {
        "other": {"command": "other-server", "args": ["--flag"]}, // keep me
    },
    /* block comment */
    "fontSize": 14,
}
`, []string{"// editor settings", `"theme": "dark"`, "// keep me", "/* block comment */", `"fontSize": 14,`, `"other": {"command": "other-server", "args": ["--flag"]}`}
	default:
		return `{
  "preferences": {"theme": "dark"},
  "` + c.Container + `": {
    "other": {"command": "other-server", "args": ["--flag"]}
  }
}
`, []string{`"preferences": {"theme": "dark"}`, `"other": {"command": "other-server", "args": ["--flag"]}`}
	}
}

// fileClients are the clients whose files anykey edits itself.
func fileClients() []Client {
	var out []Client
	for _, c := range Clients() {
		if c.Editable() && c.ViaCLI == "" {
			out = append(out, c)
		}
	}
	return out
}

func assertHolds(t *testing.T, c Client, env Env, key string) {
	t.Helper()
	st, err := c.ReadStatus(env)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Holds(key) {
		t.Fatalf("%s does not hold anykey's entry for %q: %+v", st.File, key, st)
	}
}

// assertNoLeftovers fails when a temporary file was left in dir.
func assertNoLeftovers(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") || strings.HasSuffix(e.Name(), ".lock") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestInstallMissingFile(t *testing.T) {
	ctx := context.Background()
	for _, c := range fileClients() {
		t.Run(c.ID, func(t *testing.T) {
			env := testEnv(t)
			res, err := Install(ctx, c, env, keyless("work"), false)
			if err != nil {
				t.Fatal(err)
			}
			if res.Change != Added || res.Backup != "" {
				t.Fatalf("got %+v, want added without backup", res)
			}
			assertHolds(t, c, env, "work")
			first, _ := os.ReadFile(res.File)
			// Windows keeps no Unix mode bits (Go reports 0666 or 0444).
			if fi, _ := os.Stat(res.File); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
				t.Errorf("new file mode %v, want 0600", fi.Mode().Perm())
			}
			// Twice: nothing changes.
			res, err = Install(ctx, c, env, keyless("work"), false)
			if err != nil || res.Change != Unchanged {
				t.Fatalf("second install: %+v, %v", res, err)
			}
			if again, _ := os.ReadFile(res.File); string(again) != string(first) {
				t.Fatal("second install changed the file")
			}
			res, err = Uninstall(ctx, c, env, "work", false)
			if err != nil || res.Change != Removed {
				t.Fatalf("uninstall: %+v, %v", res, err)
			}
			if st, _ := c.ReadStatus(env); st.Entry != nil {
				t.Fatal("entry still there after uninstall")
			}
			assertNoLeftovers(t, filepath.Dir(res.File))
		})
	}
}

func TestInstallKeepsEverythingElse(t *testing.T) {
	ctx := context.Background()
	for _, c := range fileClients() {
		t.Run(c.ID, func(t *testing.T) {
			env := testEnv(t)
			file := c.File(env)
			data, keep := fixture(c)
			os.MkdirAll(filepath.Dir(file), 0o700)
			if err := os.WriteFile(file, []byte(data), 0o640); err != nil {
				t.Fatal(err)
			}
			res, err := Install(ctx, c, env, keyless("work"), false)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(file)
			for _, k := range keep {
				if !strings.Contains(string(got), k) {
					t.Errorf("lost %q:\n%s", k, got)
				}
			}
			assertHolds(t, c, env, "work")
			if b, _ := os.ReadFile(res.Backup); string(b) != data {
				t.Errorf("backup %s does not hold the previous file", res.Backup)
			}
			if fi, _ := os.Stat(file); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o640 {
				t.Errorf("mode changed to %v", fi.Mode().Perm())
			}
			if _, err := Uninstall(ctx, c, env, "work", false); err != nil {
				t.Fatal(err)
			}
			got, _ = os.ReadFile(file)
			for _, k := range keep {
				if !strings.Contains(string(got), k) {
					t.Errorf("uninstall lost %q:\n%s", k, got)
				}
			}
			if c.Format == TOML && string(got) != data {
				t.Errorf("install+uninstall is not a no-op for TOML:\n%s", got)
			}
			assertNoLeftovers(t, filepath.Dir(file))
		})
	}
}

// TestInstallLeavesBadFilesAlone: a file that does not parse, or is
// read-only, stays byte-identical, and the error names it.
func TestInstallLeavesBadFilesAlone(t *testing.T) {
	ctx := context.Background()
	bad := map[Format]string{
		JSON:  "{\n  // a comment is not JSON\n  \"mcpServers\": {}\n}\n",
		JSONC: "{ \"servers\": { \"x\": \n",
		TOML:  "[mcp_servers.other\ncommand = \"x\"\n",
	}
	for _, c := range fileClients() {
		t.Run(c.ID, func(t *testing.T) {
			for _, tc := range []struct {
				name, data string
				mode       os.FileMode
				want       error
			}{
				{"unparsable", bad[c.Format], 0o600, ErrParse},
				{"read-only", func() string { d, _ := fixture(c); return d }(), 0o444, ErrReadOnly},
				{"not-an-object", "[1, 2]\n", 0o600, ErrParse},
			} {
				if c.Format == TOML && tc.name == "not-an-object" {
					continue
				}
				env := testEnv(t)
				file := c.File(env)
				os.MkdirAll(filepath.Dir(file), 0o700)
				os.WriteFile(file, []byte(tc.data), 0o600)
				os.Chmod(file, tc.mode)
				_, err := Install(ctx, c, env, keyless("work"), true)
				var fe *FileError
				if !errors.As(err, &fe) || fe.File != file || !errors.Is(err, tc.want) {
					t.Fatalf("%s: got %v, want a FileError naming %s wrapping %v", tc.name, err, file, tc.want)
				}
				if !strings.Contains(err.Error(), file) {
					t.Errorf("%s: message does not name the file: %v", tc.name, err)
				}
				if got, _ := os.ReadFile(file); string(got) != tc.data {
					t.Fatalf("%s: file changed:\n%s", tc.name, got)
				}
				if _, err := os.Stat(file + BackupSuffix); err == nil {
					t.Errorf("%s: a backup was written for a file that was not changed", tc.name)
				}
				assertNoLeftovers(t, filepath.Dir(file))
			}
		})
	}
}

func TestInstallConflicts(t *testing.T) {
	ctx := context.Background()
	for _, c := range fileClients() {
		t.Run(c.ID, func(t *testing.T) {
			env := testEnv(t)
			foreign := Entry{Command: "npx", Args: []string{"-y", AnytypeMCP}, Env: map[string]string{"OPENAPI_MCP_HEADERS": "{}"}}
			if _, err := Install(ctx, c, env, foreign, true); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(c.File(env))
			var ce *ConflictError
			if _, err := Install(ctx, c, env, keyless("work"), false); !errors.As(err, &ce) || ce.Key != "" {
				t.Fatalf("foreign entry: got %v, want a ConflictError", err)
			}
			if _, err := Uninstall(ctx, c, env, "work", false); !errors.As(err, &ce) {
				t.Fatalf("uninstall of a foreign entry: got %v, want a ConflictError", err)
			}
			if after, _ := os.ReadFile(c.File(env)); string(after) != string(before) {
				t.Fatal("a refused install changed the file")
			}
			if res, err := Install(ctx, c, env, keyless("work"), true); err != nil || res.Change != Replaced {
				t.Fatalf("--force: %+v, %v", res, err)
			}
			if _, err := Install(ctx, c, env, keyless("home"), false); !errors.As(err, &ce) || ce.Key != "work" {
				t.Fatalf("other key: got %v, want a ConflictError naming work", err)
			}
			if _, err := Uninstall(ctx, c, env, "home", false); !errors.As(err, &ce) {
				t.Fatalf("uninstall for another key: got %v", err)
			}
			assertHolds(t, c, env, "work")
		})
	}
}

// TestInstallThroughSymlink keeps a dotfiles symlink a symlink.
func TestInstallThroughSymlink(t *testing.T) {
	c, _ := Lookup("cursor")
	env := testEnv(t)
	real := filepath.Join(env.Home, "dotfiles", "mcp.json")
	os.MkdirAll(filepath.Dir(real), 0o700)
	os.WriteFile(real, []byte("{}\n"), 0o600)
	os.MkdirAll(filepath.Dir(c.File(env)), 0o700)
	if err := os.Symlink(real, c.File(env)); err != nil {
		if runtime.GOOS == "windows" && errors.Is(err, syscall.Errno(1314)) { // ERROR_PRIVILEGE_NOT_HELD
			t.Skip("making a symlink on Windows needs Developer Mode or an administrator:", err)
		}
		t.Fatal(err)
	}
	if _, err := os.Lstat(c.File(env)); err != nil && desktoptest.Wine() {
		// Wine 8's CreateSymbolicLinkW is a stub: it reports success and
		// makes nothing.
		t.Skip("under Wine: CreateSymbolicLinkW made no symlink:", err)
	}
	if _, err := Install(context.Background(), c, env, keyless("work"), false); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(c.File(env)); fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the symlink was replaced by a file")
	}
	assertHolds(t, c, env, "work")
}

// TestClaudeCodeNeedsItsCLI: anykey never edits ~/.claude.json itself.
func TestClaudeCodeNeedsItsCLI(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	c, _ := Lookup("claude-code")
	env := testEnv(t)
	var ne *NeedCLIError
	if _, err := Install(context.Background(), c, env, keyless("work"), false); !errors.As(err, &ne) || ne.Program != "claude" {
		t.Fatalf("got %v, want NeedCLIError", err)
	}
	if _, err := os.Stat(c.File(env)); err == nil {
		t.Fatal("~/.claude.json was written")
	}
}

func TestClineLockHonoured(t *testing.T) {
	c, _ := Lookup("cline")
	env := testEnv(t)
	os.MkdirAll(c.File(env)+".lock", 0o700)
	_, err := Install(context.Background(), c, env, keyless("work"), false)
	if err == nil || !strings.Contains(err.Error(), "(Cline) is changing this file") {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(c.File(env)); err == nil {
		t.Fatal("wrote while Cline held its lock")
	}
}

// TestClaudeCodeThroughItsCLI: with `claude` on PATH, install and replace
// go through `claude mcp add-json` / `claude mcp remove`, never a write to
// ~/.claude.json. The stand-in (fakeClaude, this test binary) records its
// arguments and writes the file the way Claude Code would; on Windows it
// is claude.exe, run without cmd.exe, so the JSON argument crosses
// Windows' command-line quoting for real.
func TestClaudeCodeThroughItsCLI(t *testing.T) {
	env := testEnv(t)
	log := filepath.Join(t.TempDir(), "argv.log")
	file := filepath.Join(env.Home, ".claude.json")
	installFakeClaude(t, log, file)
	c, _ := Lookup("claude-code")
	ctx := context.Background()
	if res, err := Install(ctx, c, env, keyless("work"), false); err != nil || res.Change != Added {
		t.Fatalf("install: %+v, %v", res, err)
	}
	assertHolds(t, c, env, "work")
	if res, err := Install(ctx, c, env, keyless("work"), false); err != nil || res.Change != Unchanged {
		t.Fatalf("second install: %+v, %v", res, err)
	}
	if _, err := Install(ctx, c, env, keyless("home"), true); err != nil {
		t.Fatal(err)
	}
	if _, err := Uninstall(ctx, c, env, "home", false); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(log)
	want := "mcp add-json -s user anytype " + string(marshal(stdioShape(keyless("work")), "", "")) + "\n" +
		"mcp remove -s user anytype\n" +
		"mcp add-json -s user anytype " + string(marshal(stdioShape(keyless("home")), "", "")) + "\n" +
		"mcp remove -s user anytype\n"
	if string(got) != want {
		t.Errorf("claude was run as:\n%s\nwant:\n%s", got, want)
	}
}
