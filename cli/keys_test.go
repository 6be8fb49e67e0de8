package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/clip"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// seeded returns a harness whose store holds "work" (a real key on the fake
// server) and "gone" (listed, secret removed behind anykey's back).
func seeded(t *testing.T) (*harness, string) {
	t.Helper()
	h := newHarness(t, fakeanytype.Config{})
	key := mint(t, h.srv)
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, n := range []string{"work", "gone"} {
		e := keystore.Entry{Name: n, APIURL: h.srv.URL(), CreatedAt: created, APIVersion: "2025-11-08",
			Grant: json.RawMessage(`{"all_spaces":true}`)}
		if err := h.store.Set(t.Context(), e, key, false); err != nil {
			t.Fatal(err)
		}
	}
	h.store.DropSecret("gone")
	return h, key
}

func TestList(t *testing.T) {
	t.Parallel()
	h, key := seeded(t)

	r := h.run(nil, "list")
	if r.code != 0 {
		t.Fatalf("list exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") {
		t.Fatalf("list table:\n%s", r.stdout)
	}
	want(t, "header", lines[0], "API URL", "CREATED")
	for _, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("trailing spaces in %q", l)
		}
	}
	want(t, "gone row", lines[1], "gone", h.srv.URL(), "missing from keychain")
	want(t, "work row", lines[2], "work", h.srv.URL())
	if strings.Contains(lines[2], "missing") {
		t.Errorf("work is marked missing: %q", lines[2])
	}
	noSecrets(t, "list", r.stdout+r.stderr, key)

	r = h.run(nil, "list", "--json")
	if r.code != 0 {
		t.Fatalf("list --json exit %d: %s", r.code, r.stderr)
	}
	noSecrets(t, "list --json", r.stdout+r.stderr, key)
	var items []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil || len(items) != 2 {
		t.Fatalf("list --json = %q (%v)", r.stdout, err)
	}
	for _, it := range items {
		for _, f := range []string{"name", "api_url", "created_at", "api_version", "grant", "state", "missing"} {
			if _, ok := it[f]; !ok {
				t.Errorf("item %v lacks %q", it["name"], f)
			}
		}
		if ts, _ := it["created_at"].(string); ts != "2026-01-02T03:04:05Z" {
			t.Errorf("created_at = %v", it["created_at"])
		}
		if miss := it["missing"].(bool); miss != (it["name"] == "gone") {
			t.Errorf("%v: missing = %v", it["name"], miss)
		}
		if st, want := it["state"], map[bool]string{true: "missing", false: "present"}[it["name"] == "gone"]; st != want {
			t.Errorf("%v: state = %v, want %s", it["name"], st, want)
		}
	}
}

func TestListEmpty(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fakeanytype.Config{})
	if r := h.run(nil, "list", "--json"); r.code != 0 || r.stdout != "[]\n" {
		t.Errorf("list --json on no keys = %d %q", r.code, r.stdout)
	}
	r := h.run(nil, "list")
	if r.code != 0 || r.stdout != "" {
		t.Errorf("list on no keys = %d %q", r.code, r.stdout)
	}
	want(t, "stderr", r.stderr, "no keys saved yet")
}

func TestStoreFailures(t *testing.T) {
	t.Parallel()
	unavailable := fmt.Errorf("%w: no secret service on the bus", keystore.ErrUnavailable)
	timeout := &keystore.TimeoutError{Op: "get", After: 30 * time.Second}
	tests := []struct {
		name   string
		secret error // FailSecrets
		open   error // the store cannot be opened
		args   []string
		stderr []string
	}{
		{name: "get unknown", args: []string{"get", "nope"}, stderr: []string{`no key named "nope"`, "hint: anykey list"}},
		{name: "get missing secret", args: []string{"get", "gone"}, stderr: []string{"missing from the keychain", "anykey rm gone"}},
		{name: "get keychain down", secret: unavailable, args: []string{"get", "work"},
			stderr: []string{"keychain is not available", "unlock your keyring"}},
		{name: "get keychain timeout", secret: timeout, args: []string{"get", "work"},
			stderr: []string{"did not answer in time", "unlock your keyring"}},
		{name: "env unknown", args: []string{"env", "nope"}, stderr: []string{`no key named "nope"`}},
		{name: "mcp unknown", args: []string{"mcp", "nope"}, stderr: []string{`no key named "nope"`}},
		{name: "exec unknown", args: []string{"exec", "nope", "--", "true"}, stderr: []string{`no key named "nope"`}},
		{name: "copy unknown", args: []string{"copy", "nope"}, stderr: []string{`no key named "nope"`}},
		{name: "rm unknown", args: []string{"rm", "nope"}, stderr: []string{`no key named "nope"`}},
		{name: "verify unknown", args: []string{"verify", "nope"}, stderr: []string{`no key named "nope"`}},
		{name: "corrupt index", open: fmt.Errorf("reading keys.json: %w", keystore.ErrCorruptIndex),
			args: []string{"list"}, stderr: []string{"damaged", "the file was left untouched"}},
		{name: "list keychain down", secret: unavailable, args: []string{"list"},
			stderr: []string{"keychain is not available"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, key := seeded(t)
			if tt.secret != nil {
				h.store.FailSecrets(tt.secret)
			}
			if tt.open != nil {
				h.open = func() (keystore.Store, error) { return nil, tt.open }
			}
			r := h.run(nil, tt.args...)
			if r.code != 1 {
				t.Errorf("exit %d, want 1", r.code)
			}
			want(t, "stderr", r.stderr, tt.stderr...)
			noSecrets(t, "output", r.stdout+r.stderr, key)
			if tt.args[0] != "list" && r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
}

func TestGet(t *testing.T) {
	t.Parallel()
	h, key := seeded(t)
	before := len(h.srv.Requests())
	r := h.run(nil, "get", "work")
	if r.code != 0 || r.stdout != key+"\n" || r.stderr != "" {
		t.Errorf("get = exit %d, stdout is key+newline: %v, stderr %q", r.code, r.stdout == key+"\n", r.stderr)
	}
	if n := len(h.srv.Requests()) - before; n != 0 {
		t.Errorf("get talked to Anytype: %d requests", n)
	}
}

func TestCopy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		env   string
		args  []string
		after time.Duration
	}{
		{"default", "", []string{"copy", "work"}, clip.DefaultClearAfter},
		{"environment seconds", "5", []string{"copy", "work"}, 5 * time.Second},
		{"environment duration", "2m", []string{"copy", "work"}, 2 * time.Minute},
		{"flag after name", "5", []string{"copy", "work", "--clear-after", "2s"}, 2 * time.Second},
		{"flag before name", "", []string{"copy", "--clear-after=0", "work"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, key := seeded(t)
			h.env[clip.EnvClearAfter] = tt.env
			r := h.run(nil, tt.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if len(h.copies) != 1 || h.copies[0].secret != key || h.copies[0].after != tt.after {
				t.Fatalf("copies = %d, after %v; want the key, %v", len(h.copies), h.copies, tt.after)
			}
			want(t, "stderr", r.stderr, `copied key "work"`)
			noSecrets(t, "output", r.stdout+r.stderr, key)
		})
	}
	t.Run("no clipboard tool", func(t *testing.T) {
		t.Parallel()
		h, _ := seeded(t)
		h.deps.copy = func(string, time.Duration) error { return clip.ErrNoTool }
		r := h.run(nil, "copy", "work")
		if r.code != 1 {
			t.Errorf("exit %d", r.code)
		}
		want(t, "stderr", r.stderr, "no clipboard tool", clip.InstallHint())
	})
	t.Run("bad environment", func(t *testing.T) {
		t.Parallel()
		h, _ := seeded(t)
		for _, v := range []string{"later", "18446744074", "25h"} {
			h.env[clip.EnvClearAfter] = v
			if r := h.run(nil, "copy", "work"); r.code != 2 || !strings.Contains(r.stderr, clip.EnvClearAfter) {
				t.Errorf("%s=%s: exit %d, want 2; stderr %s", clip.EnvClearAfter, v, r.code, r.stderr)
			}
		}
		for _, v := range []string{"18446744074", "25h", "-1"} {
			if r := h.run(nil, "copy", "work", "--clear-after", v); r.code != 2 {
				t.Errorf("--clear-after %s: exit %d, want 2", v, r.code)
			}
		}
		if len(h.copies) != 0 {
			t.Errorf("copied despite a bad delay: %d", len(h.copies))
		}
	})
}

func TestRm(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"work", "gone"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h, _ := seeded(t)
			r := h.run(nil, "rm", name)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			want(t, "stderr", r.stderr, "Settings → API Keys", fmt.Sprintf("revoke the key named %q", name))
			if _, err := h.store.Lookup(t.Context(), name); !errors.Is(err, keystore.ErrNotFound) {
				t.Errorf("Lookup after rm = %v", err)
			}
		})
	}
}

func TestAutostart(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fakeanytype.Config{})
	steps := []struct {
		args   []string
		stdout string
	}{
		{[]string{"autostart", "status"}, "off\n"},
		{[]string{"autostart", "on"}, ""},
		{[]string{"autostart", "status"}, "on\n"},
		{[]string{"autostart", "off"}, ""},
		{[]string{"autostart", "status"}, "off\n"},
	}
	for _, s := range steps {
		if r := h.run(nil, s.args...); r.code != 0 || r.stdout != s.stdout {
			t.Errorf("%v = %d %q, want 0 %q", s.args, r.code, r.stdout, s.stdout)
		}
	}
}

func TestTrayHook(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		env  string
		want string
	}{
		{nil, "", ""},
		{[]string{"tray"}, "", ""},
		{[]string{"--api-url", "http://localhost:31012/", "tray"}, "", "http://localhost:31012"},
		{nil, "http://127.0.0.1:31012", "http://127.0.0.1:31012"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " ")+tt.env, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, fakeanytype.Config{})
			h.env[EnvAPIURL] = tt.env
			if r := h.run(nil, tt.args...); r.code != 0 || len(h.trays) != 1 || h.trays[0] != tt.want {
				t.Errorf("exit %d, tray calls %q; want one with %q", r.code, h.trays, tt.want)
			}
		})
	}
}
