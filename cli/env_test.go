package cli

import (
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// awkwardKey has everything a shell could trip on; keys are opaque strings.
const awkwardKey = `k'e"y$HOME\n` + "`x`;"

func awkwardHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, fakeanytype.Config{})
	e := keystore.Entry{Name: "work", APIURL: "http://127.0.0.1:31012"}
	if err := h.store.Set(t.Context(), e, awkwardKey, false); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		shell string
		first string
		last  string
	}{
		{"", `export ANYTYPE_API_KEY='k'\''e"y$HOME\n` + "`x`;'", `export OPENAPI_MCP_HEADERS='{"Authorization":"Bearer k'\''e\"y$HOME\\n` + "`x`;" + `",`},
		{"sh", `export ANYTYPE_API_KEY=`, "export OPENAPI_MCP_HEADERS="},
		{"fish", `set -gx ANYTYPE_API_KEY 'k\'e"y$HOME\\n` + "`x`;'", `set -gx OPENAPI_MCP_HEADERS '{"Authorization":"Bearer k\'e\\"y$HOME\\\\n` + "`x`;" + `",`},
		{"powershell", `$env:ANYTYPE_API_KEY = 'k''e"y$HOME\n` + "`x`;'", `$env:OPENAPI_MCP_HEADERS = '{"Authorization":"Bearer k''e\"y$HOME\\n` + "`x`;" + `",`},
	}
	for _, tt := range tests {
		t.Run(tt.shell, func(t *testing.T) {
			t.Parallel()
			h := awkwardHarness(t)
			// No --shell is sh, on Windows only under a POSIX shell (Git
			// Bash sets SHELL); TestDefaultShell covers the rest.
			h.env["SHELL"] = "/usr/bin/bash"
			args := []string{"env", "work"}
			if tt.shell != "" {
				args = append(args, "--shell", tt.shell)
			}
			r := h.run(nil, args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			if len(lines) != 4 {
				t.Fatalf("env printed %d lines:\n%s", len(lines), r.stdout)
			}
			if !strings.HasPrefix(lines[0], tt.first) || !strings.HasPrefix(lines[3], tt.last) {
				t.Errorf("env --shell %s:\n%s", tt.shell, r.stdout)
			}
			want(t, "env", r.stdout, "ANYTYPE_APP_KEY", "ANYTYPE_API_BASE_URL", "http://127.0.0.1:31012")
		})
	}
}

// TestEnvThroughSh evaluates the sh output in a real sh and reads the
// variables back.
func TestEnvThroughSh(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	h := awkwardHarness(t)
	r := h.run(nil, "env", "work")
	script := r.stdout + `printf '%s\n%s\n%s\n%s' "$ANYTYPE_API_KEY" "$ANYTYPE_APP_KEY" "$ANYTYPE_API_BASE_URL" "$OPENAPI_MCP_HEADERS"`
	out, err := exec.Command("sh", "-c", script).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.SplitN(string(out), "\n", 4)
	if len(got) != 4 || got[0] != awkwardKey || got[1] != awkwardKey || got[2] != "http://127.0.0.1:31012" {
		t.Fatalf("sh read back %q", got)
	}
	var hdr map[string]string
	if err := json.Unmarshal([]byte(got[3]), &hdr); err != nil {
		t.Fatalf("OPENAPI_MCP_HEADERS is not JSON: %v", err)
	}
	if hdr["Authorization"] != "Bearer "+awkwardKey || hdr["Anytype-Version"] != auth.APIVersion || len(hdr) != 2 {
		t.Errorf("headers = %v", hdr)
	}
}

func TestExec(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
	}{
		{"child sees the key", []string{"exec", "work", "--", "sh", "-c", `printf %s "$ANYTYPE_API_KEY"`}, 0, awkwardKey},
		{"stale value replaced", []string{"exec", "work", "--", "sh", "-c", `env | grep -c '^ANYTYPE_API_KEY='`}, 0, "1\n"},
		{"base url", []string{"exec", "work", "--", "sh", "-c", `printf %s "$ANYTYPE_API_BASE_URL"`}, 0, "http://127.0.0.1:31012"},
		{"without --", []string{"exec", "work", "sh", "-c", "exit 0"}, 0, ""},
		{"child's status", []string{"exec", "work", "--", "sh", "-c", "exit 7"}, 7, ""},
		{"killed child", []string{"exec", "work", "--", "sh", "-c", "kill -TERM $$"}, 128 + 15, ""},
		{"no such command", []string{"exec", "work", "--", "/nonexistent/cmd"}, 127, ""},
		{"no such command in PATH", []string{"exec", "work", "--", "anykey-no-such-cmd"}, 127, ""},
		{"not executable", []string{"exec", "work", "--", "/etc/passwd"}, 126, ""},
		{"a directory", []string{"exec", "work", "--", "/"}, 126, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := awkwardHarness(t)
			r := h.run(nil, tt.args...)
			if r.code != tt.code || r.stdout != tt.stdout {
				t.Errorf("exit %d stdout %q; want %d %q\nstderr: %s", r.code, r.stdout, tt.code, tt.stdout, r.stderr)
			}
			noSecrets(t, "stderr", r.stderr, awkwardKey)
		})
	}
}

func TestAdd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string // after "add"
		stdin  string   // <key> is replaced by a real key
		down   bool     // point at a closed port
		seed   bool
		code   int
		stderr []string
		saved  bool
	}{
		{name: "valid", args: []string{"new"}, stdin: "<key>\n", saved: true, stderr: []string{`saved key "new"`}},
		{name: "valid, spaces and CRLF", args: []string{"new"}, stdin: "  <key> \r\n", saved: true},
		{name: "Windows editor: BOM and CRLF", args: []string{"new"}, stdin: "\ufeff<key>\r\n", saved: true},
		{name: "BOM, --no-verify: stored without it", args: []string{"new", "--no-verify"}, stdin: "\ufeff<key>\r\n", down: true, saved: true},
		{name: "zero-width space at the end", args: []string{"new"}, stdin: "<key>\u200b\n", saved: true},
		{name: "zero-width space inside", args: []string{"new"}, stdin: "ab\u200bcd\n", code: 1,
			stderr: []string{"not printable ASCII: U+200B at character 3", "copy the key again"}},
		{name: "smart quote inside, --no-verify", args: []string{"new", "--no-verify"}, stdin: "ab\u2019cd\n", down: true, code: 1,
			stderr: []string{"not printable ASCII"}},
		{name: "rejected", args: []string{"new"}, stdin: "not-a-key\n", code: 1,
			stderr: []string{"rejected this key", "Settings → API Keys"}},
		{name: "unreachable", args: []string{"new"}, stdin: "<key>\n", down: true, code: 1,
			stderr: []string{"not running", "--no-verify"}},
		{name: "unreachable, --no-verify", args: []string{"new", "--no-verify"}, stdin: "<key>\n", down: true, saved: true},
		{name: "--no-verify before the name", args: []string{"--no-verify", "new"}, stdin: "<key>", down: true, saved: true},
		{name: "empty input", args: []string{"new"}, stdin: "", code: 1, stderr: []string{"no key given"}},
		{name: "existing", args: []string{"work"}, stdin: "<key>\n", seed: true, code: 1, stderr: []string{"already exists"}},
		{name: "existing, --force", args: []string{"work", "--force"}, stdin: "<key>\n", seed: true, saved: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, fakeanytype.Config{})
			key := mint(t, h.srv)
			if tt.seed {
				if err := h.store.Set(t.Context(), keystore.Entry{Name: "work", APIURL: auth.DesktopURL}, "old", false); err != nil {
					t.Fatal(err)
				}
			}
			url := h.srv.URL()
			if tt.down {
				url = closedURL(t)
			}
			args := append([]string{"--api-url", url, "add"}, tt.args...)
			r := h.run(strings.NewReader(strings.ReplaceAll(tt.stdin, "<key>", key)), args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.code, tt.code, r.stderr)
			}
			want(t, "stderr", r.stderr, tt.stderr...)
			noSecrets(t, "output", r.stdout+r.stderr, key)
			name := "new"
			if tt.seed {
				name = "work"
			}
			got, err := h.store.Get(t.Context(), name)
			if tt.saved {
				if err != nil || got != key {
					t.Fatalf("key not saved (err %v)", err)
				}
				e, _ := h.store.Lookup(t.Context(), name)
				if e.APIURL != url || e.CreatedAt.IsZero() {
					t.Errorf("entry = %+v", e)
				}
				if !tt.down && e.APIVersion != "2025-11-08" {
					t.Errorf("api version = %q", e.APIVersion)
				}
			} else if tt.seed && got != "old" {
				t.Errorf("existing key changed")
			} else if !tt.seed && !errors.Is(err, keystore.ErrNotFound) {
				t.Errorf("Get = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestAPIURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		defaults func(h *harness, down string) []string
		env      func(h *harness, down string) string
		flag     func(h *harness, down string) string
		code     int
		stderr   string
		reached  bool
	}{
		{name: "first default answers", defaults: func(h *harness, d string) []string { return []string{h.srv.URL(), d} },
			reached: true},
		{name: "falls back to anytype-cli's port", defaults: func(h *harness, d string) []string { return []string{d, h.srv.URL()} },
			reached: true},
		{name: "nothing answers", defaults: func(h *harness, d string) []string { return []string{d, d} },
			code: 1, stderr: "Anytype is not running at http://127.0.0.1"},
		{name: "environment wins over defaults", defaults: func(h *harness, d string) []string { return []string{d} },
			env: func(h *harness, d string) string { return h.srv.URL() }, reached: true},
		{name: "flag wins over environment", env: func(h *harness, d string) string { return d },
			flag: func(h *harness, d string) string { return h.srv.URL() }, reached: true},
		{name: "bad environment", env: func(*harness, string) string { return "http://10.0.0.1:31009" },
			code: 2, stderr: EnvAPIURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, fakeanytype.Config{})
			down := closedURL(t)
			if tt.defaults != nil {
				h.deps.defaultURLs = tt.defaults(h, down)
			}
			if tt.env != nil {
				h.env[EnvAPIURL] = tt.env(h, down)
			}
			args := []string{"pair", "work"}
			if tt.flag != nil {
				args = append([]string{"--api-url", tt.flag(h, down)}, args...)
			}
			r := h.run(&codes{srv: h.srv, lines: []string{rightCode}}, args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.code, tt.code, r.stderr)
			}
			want(t, "stderr", r.stderr, tt.stderr)
			if got := h.srv.Challenges() == 1; got != tt.reached {
				t.Errorf("reached the fake server: %v, want %v", got, tt.reached)
			}
			for _, req := range h.srv.Requests() {
				if ua := req.Header.Get("User-Agent"); ua != "anykey/1.2.3-test" {
					t.Errorf("User-Agent = %q", ua)
				}
			}
		})
	}
}

// TestDefaultShell: without --shell, env writes PowerShell on Windows
// unless a POSIX shell (Git Bash: SHELL set) runs it, and sh elsewhere.
func TestDefaultShell(t *testing.T) {
	for _, tc := range []struct {
		goos, shell, want string
	}{
		{"windows", "", "powershell"},
		{"windows", "/usr/bin/bash", "sh"},
		{"linux", "", "sh"},
		{"linux", "/usr/bin/fish", "sh"},
		{"darwin", "/bin/zsh", "sh"},
	} {
		getenv := func(k string) string {
			if k == "SHELL" {
				return tc.shell
			}
			return ""
		}
		if got := defaultShell(tc.goos, getenv); got != tc.want {
			t.Errorf("defaultShell(%s, SHELL=%q) = %s, want %s", tc.goos, tc.shell, got, tc.want)
		}
	}
}
