package cli

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/handoff"
	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// pairedE2E pairs one key for real and returns its name and secret.
func pairedE2E(t *testing.T) (*e2e, string, string) {
	t.Helper()
	e := newE2E(t, fakeanytype.Config{})
	name := e.name("work")
	if r := e.pair([]string{rightCode}, "pair", name); r.code != 0 {
		t.Fatalf("pair: %s", r.stderr)
	}
	return e, name, e.srv.Keys()[0]
}

func TestE2EKeys(t *testing.T) {
	t.Parallel()
	e, name, key := pairedE2E(t)

	t.Run("get", func(t *testing.T) {
		r := e.run(nil, "get", name)
		if r.code != 0 || r.stdout != key+"\n" || r.stderr != "" {
			t.Errorf("get: exit %d, stdout is the key: %v, stderr %q", r.code, r.stdout == key+"\n", r.stderr)
		}
	})
	t.Run("list", func(t *testing.T) {
		r := e.run(nil, "list")
		if r.code != 0 || !strings.Contains(r.stdout, name) || !strings.Contains(r.stdout, e.srv.URL()) {
			t.Errorf("list: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		noSecrets(t, "list", r.stdout+r.stderr, key)
	})
	t.Run("list --json", func(t *testing.T) {
		r := e.run(nil, "list", "--json")
		noSecrets(t, "list --json", r.stdout+r.stderr, key)
		var items []listItem
		if err := json.Unmarshal([]byte(r.stdout), &items); err != nil || len(items) != 1 {
			t.Fatalf("list --json: %q (%v)", r.stdout, err)
		}
		it := items[0]
		if it.Name != name || it.APIURL != e.srv.URL() || it.APIVersion != "2025-11-08" || it.Missing {
			t.Errorf("item = %+v", it)
		}
		if _, err := time.Parse(time.RFC3339, it.CreatedAt); err != nil {
			t.Errorf("created_at: %v", err)
		}
	})
	t.Run("env through sh", func(t *testing.T) {
		r := e.run(nil, "env", name)
		out, err := exec.Command("sh", "-c", r.stdout+`printf %s "$ANYTYPE_API_KEY|$ANYTYPE_API_BASE_URL"`).Output()
		if err != nil || string(out) != key+"|"+e.srv.URL() {
			t.Errorf("sh did not read the key and URL back (err %v)", err)
		}
	})
	t.Run("exec", func(t *testing.T) {
		// The command prints its own argv, its parent's and the key. anykey
		// replaced itself with the command (execve), so the parent is the
		// test, and no anykey process is left holding the key.
		script := `tr '\0' ' ' </proc/$$/cmdline; echo; tr '\0' ' ' </proc/$PPID/cmdline; echo; printf %s "$ANYTYPE_API_KEY"`
		r := e.run(nil, "exec", name, "--", "sh", "-c", script)
		if r.code != 0 {
			t.Fatalf("exec: exit %d: %s", r.code, r.stderr)
		}
		parts := strings.SplitN(r.stdout, "\n", 3)
		if len(parts) != 3 || parts[2] != key {
			t.Fatalf("the child did not see the key: %q", r.stdout)
		}
		if strings.Contains(parts[1], "exec "+name) {
			t.Errorf("anykey is still running as the command's parent: %q", parts[1])
		}
		noSecrets(t, "argv", parts[0]+parts[1], key)
		if r := e.run(nil, "exec", name, "--", "sh", "-c", "exit 3"); r.code != 3 {
			t.Errorf("exec exit = %d, want the child's 3", r.code)
		}
	})
	t.Run("mcp", func(t *testing.T) {
		r := e.run(nil, "mcp", name, "--inline")
		var cfg map[string]map[string]struct {
			Env map[string]string `json:"env"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &cfg); err != nil {
			t.Fatalf("mcp: %v", err)
		}
		env := cfg["mcpServers"]["anytype"].Env
		if env["OPENAPI_MCP_HEADERS"] != handoff.MCPHeaders(key) || env["ANYTYPE_API_BASE_URL"] != e.srv.URL() {
			t.Errorf("mcp env = %v", env)
		}
	})
	t.Run("verify", func(t *testing.T) {
		if r := e.run(nil, "verify", name); r.code != 0 || r.stdout != name+": valid\n" {
			t.Errorf("verify: %d %q %s", r.code, r.stdout, r.stderr)
		}
		e.srv.Revoke(key)
		if r := e.run(nil, "verify"); r.code != 1 || r.stdout != name+": rejected\n1 rejected\n" {
			t.Errorf("verify after revoke: %d %q %s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("rm", func(t *testing.T) {
		r := e.run(nil, "rm", name)
		if r.code != 0 || !strings.Contains(r.stderr, "Settings → API Keys") {
			t.Errorf("rm: %d %s", r.code, r.stderr)
		}
		if got := keyring(t, name); got != "" {
			t.Errorf("the secret is still in the keyring")
		}
		if r := e.run(nil, "get", name); r.code != 1 || !strings.Contains(r.stderr, "anykey list") {
			t.Errorf("get after rm: %d %s", r.code, r.stderr)
		}
	})
}

func TestE2EVersionHelpUsage(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"version"}, 0, "anykey 9.9.9-e2e\n", ""},
		{[]string{"help"}, 0, usageText(commandTree()), ""},
		{[]string{"--help"}, 0, usageText(commandTree()), ""},
		{[]string{"-h"}, 0, usageText(commandTree()), ""},
		{[]string{"nope"}, 2, "", "anykey: unknown command \"nope\"\nanykey: hint: anykey help lists the commands\n"},
		{[]string{"get"}, 2, "", "anykey: get: missing NAME\nanykey: hint: anykey help get shows its usage\n"},
		{[]string{"--api-url", "http://192.168.1.2:31009", "pair", "x"}, 2, "", "this machine"},
	}
	for _, tt := range tests {
		r := e.run(nil, tt.args...)
		if r.code != tt.code || r.stdout != tt.stdout || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("%v: exit %d stdout %q stderr %q", tt.args, r.code, r.stdout, r.stderr)
		}
	}
}

// TestE2ECopy uses the real clipboard (xclip on X11, wl-clipboard on
// Wayland: desktoptest picks the tool) and the real detached
// helper, which outlives the anykey process.
func TestE2ECopy(t *testing.T) {
	t.Parallel()
	desktoptest.Require(t, desktoptest.Display, desktoptest.SecretService)
	e, name, key := pairedE2E(t)
	desktoptest.LockGUI(t) // the clipboard is shared with every test binary in the session
	xclip := func() string {
		out, _ := desktoptest.ReadClipboard(t.Context())
		return out
	}
	// Both cases share the one clipboard, so they run in order.
	r := e.run(nil, "copy", name, "--clear-after", "2s")
	if r.code != 0 {
		t.Fatalf("copy: %d %s", r.code, r.stderr)
	}
	noSecrets(t, "copy output", r.stdout+r.stderr, key)
	if xclip() != key {
		t.Fatal("the clipboard does not hold the key after copy")
	}
	deadline := time.Now().Add(6 * time.Second)
	for xclip() == key && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if got := xclip(); got != "" {
		t.Errorf("clipboard after --clear-after 2s: cleared %v", got == "")
	}

	if r := e.run(nil, "--api-url", e.srv.URL(), "copy", "--clear-after=1s", name); r.code != 0 {
		t.Fatalf("copy: %d %s", r.code, r.stderr)
	}
	if err := desktoptest.WriteClipboard(t.Context(), "user text"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond)
	if got := xclip(); got != "user text" {
		t.Errorf("the helper touched a clipboard the user changed: %q", got)
	}
}
