package tray

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/clip"
	"github.com/anykey-app/anykey/handoff/mcpconfig"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

func TestCopy(t *testing.T) {
	t.Parallel()
	const secret = "sekrit-key-'quoted'"
	cases := []struct {
		kind      Kind
		wantTitle string
		check     func(t *testing.T, got, url string)
	}{
		{ActCopyKey, `Copied key "work"`, func(t *testing.T, got, url string) {
			if got != secret {
				t.Errorf("copied %d bytes, not the key", len(got))
			}
		}},
		{ActCopyEnv, `Copied shell exports for "work"`, func(t *testing.T, got, url string) {
			// A command that loads the key, never the key: pasted exports
			// would stay in shell history.
			exe, _ := executable()
			exe, _ = filepath.EvalSymlinks(exe)
			want := `eval "$(` + shellWord(exe) + ` env work)"`
			if got != want || strings.Contains(got, secret) || !filepath.IsAbs(exe) {
				t.Errorf("copied %q, want %q", got, want)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.kind.String(), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, fakeanytype.Config{})
			e.save(t, "work", secret)
			e.click(tc.kind, "work")
			c := e.clip.all()
			if len(c) != 1 {
				t.Fatalf("%d copies", len(c))
			}
			tc.check(t, c[0], e.srv.URL())
			if got := lastTitle(e); got != tc.wantTitle {
				t.Errorf("notification %q, want %q", got, tc.wantTitle)
			}
		})
	}
}

// keylessConnector is the tray's real connector over a HOME of the test's
// own, with anykey at a fixed path and npx found in npxDir.
func keylessConnector(t *testing.T, npxErr error) MCPConnector {
	env := mcpconfig.Env{OS: runtime.GOOS, Home: t.TempDir(), Getenv: func(string) string { return "" }}
	return MCPConnector{Env: env, Entry: func(key string) (mcpconfig.Entry, error) {
		if npxErr != nil {
			return mcpconfig.Entry{}, npxErr
		}
		return mcpconfig.Keyless(mcpconfig.Launch{Anykey: "/opt/anykey/anykey", Key: key, Home: "/home/u"}), nil
	}}
}

// TestCopyMCP: "Copy MCP config" copies the keyless entry, byte for byte
// what `anykey mcp NAME` prints, never the key, and does not read the
// keychain's secret or arm the clipboard clearing.
func TestCopyMCP(t *testing.T) {
	t.Parallel()
	const secret = "sekrit-key-'quoted'"
	e := newEnv(t, fakeanytype.Config{})
	conn := keylessConnector(t, nil)
	e.app.d.MCP = conn
	e.save(t, "work", secret)
	e.click(ActCopyMCP, "work")
	c := e.clip.all()
	if len(c) != 1 {
		t.Fatalf("%d copies", len(c))
	}
	if strings.Contains(c[0], "sekrit") {
		t.Fatalf("the copied MCP config holds the key:\n%s", c[0])
	}
	var cfg struct {
		MCPServers map[string]struct {
			Command string
			Args    []string
			Env     map[string]string
		} `json:"mcpServers"`
	}
	if err := json.Unmarshal([]byte(c[0]), &cfg); err != nil {
		t.Fatalf("mcp config is not JSON: %v", err)
	}
	s := cfg.MCPServers["anytype"]
	want := []string{"mcp", "serve", "work"}
	if s.Command != "/opt/anykey/anykey" || !slices.Equal(s.Args, want) || len(s.Env) != 1 || s.Env["HOME"] != "/home/u" {
		t.Errorf("mcp config %+v", s)
	}
	e2, _ := conn.Entry("work")
	cl, _ := mcpconfig.Lookup(mcpconfig.DefaultClient)
	if c[0] != string(cl.Snippet(e2)) {
		t.Errorf("copied config differs from the CLI's snippet:\n%s", c[0])
	}
	if e.clip.after[0] != 0 {
		t.Errorf("a keyless config is cleared after %v", e.clip.after[0])
	}
	n := e.notes.all()
	if last := n[len(n)-1]; last.Title != `Copied MCP config for "work"` || !strings.Contains(last.Body, "holds no key") {
		t.Errorf("notification %+v", last)
	}
}

func TestCopyMCPFailures(t *testing.T) {
	t.Parallel()
	noNPX := errors.New("npx (Node.js) is not on PATH")
	cases := []struct {
		name      string
		setup     func(t *testing.T, e *env)
		wantTitle string
		wantBody  string
	}{
		{"secret gone from the keychain", func(t *testing.T, e *env) { e.store.DropSecret("work") }, `Key "work" is missing from the keychain`, ""},
		{"removed meanwhile", func(t *testing.T, e *env) { e.store.Delete(context.Background(), "work") }, `Key "work" is gone`, ""},
		{"no npx", func(t *testing.T, e *env) { e.app.d.MCP = keylessConnector(t, noNPX) }, "Could not make the MCP config", "anykey mcp work"},
		{"no connector", func(t *testing.T, e *env) { e.app.d.MCP = nil }, "Could not make the MCP config", "anykey mcp work"},
		{"no clipboard tool", func(t *testing.T, e *env) { e.clip.err = clip.ErrNoTool }, "No clipboard tool", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, fakeanytype.Config{})
			e.app.d.MCP = keylessConnector(t, nil)
			e.save(t, "work", "the-secret")
			tc.setup(t, e)
			e.click(ActCopyMCP, "work")
			n := e.notes.all()
			if last := n[len(n)-1]; last.Title != tc.wantTitle || !strings.Contains(last.Body, tc.wantBody) {
				t.Errorf("notification %+v, want %q", last, tc.wantTitle)
			}
			if c := e.clip.all(); len(c) != 0 {
				t.Errorf("%d copies", len(c))
			}
		})
	}
}

func TestCopyFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		setup     func(e *env)
		wantTitle string
	}{
		{"secret gone from the keychain", func(e *env) { e.store.DropSecret("work") }, `Key "work" is missing from the keychain`},
		{"no clipboard tool", func(e *env) { e.clip.err = clip.ErrNoTool }, "No clipboard tool"},
		{"removed meanwhile", func(e *env) { e.store.Delete(context.Background(), "work") }, `Key "work" is gone`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, fakeanytype.Config{})
			e.save(t, "work", "the-secret")
			tc.setup(e)
			e.click(ActCopyKey, "work")
			if got := lastTitle(e); got != tc.wantTitle {
				t.Errorf("notification %q, want %q", got, tc.wantTitle)
			}
			if c := e.clip.all(); len(c) != 0 {
				t.Errorf("%d copies", len(c))
			}
		})
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		setup     func(t *testing.T, e *env) (key, url string)
		wantTitle string
	}{
		{"valid", func(t *testing.T, e *env) (string, string) { return e.mint(t, "x"), e.srv.URL() }, `Key "work" works`},
		{"revoked", func(t *testing.T, e *env) (string, string) {
			k := e.mint(t, "x")
			e.srv.Revoke(k)
			return k, e.srv.URL()
		}, `Key "work" was rejected`},
		{"anytype down", func(t *testing.T, e *env) (string, string) { return e.mint(t, "x"), deadURL(t) }, `Could not check "work"`},
		{"limited", func(t *testing.T, e *env) (string, string) {
			return e.srv.AddKey(fakeanytype.KeyOptions{Name: "clip", Scope: fakeanytype.ScopeLimited}), e.srv.URL()
		}, `Key "work" works`},
		{"expired", func(t *testing.T, e *env) (string, string) {
			return e.srv.AddKey(fakeanytype.KeyOptions{Name: "x", ExpiresAt: time.Now().Add(-time.Hour)}), e.srv.URL()
		}, `Key "work" has expired`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, fakeanytype.Config{Whoami: true})
			k, url := tc.setup(t, e)
			e.extra = append(e.extra, k)
			err := e.store.Set(t.Context(), keystore.Entry{Name: "work", APIURL: url, CreatedAt: time.Now()}, k, false)
			if err != nil {
				t.Fatal(err)
			}
			e.click(ActVerify, "work")
			if got := lastTitle(e); got != tc.wantTitle {
				t.Errorf("notification %q, want %q", got, tc.wantTitle)
			}
			if n := e.notes.all(); tc.name == "limited" && !strings.Contains(n[len(n)-1].Body, "Limited scope: anytype-mcp and other /v1 tools work with it") {
				t.Errorf("a Limited key's verify says %q", n[len(n)-1].Body)
			}
		})
	}
}

func TestRemove(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		answer    error
		wantGone  bool
		wantTitle string
	}{
		{"yes removes and says where to revoke", nil, true, `Removed key "work"`},
		{"no keeps it", ErrCanceled, false, ""},
		{"no dialog tool points at the CLI", ErrNoDialogTool, false, "anykey cannot show a dialog"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, fakeanytype.Config{})
			e.save(t, "work", "remove-me-secret")
			e.prompt.question = tc.answer
			e.click(ActRemove, "work")
			_, err := e.store.Lookup(t.Context(), "work")
			if gone := errors.Is(err, keystore.ErrNotFound); gone != tc.wantGone {
				t.Errorf("gone = %v, want %v", gone, tc.wantGone)
			}
			if got := lastTitle(e); got != tc.wantTitle {
				t.Errorf("notification %q, want %q", got, tc.wantTitle)
			}
			n := e.notes.all()
			if tc.wantGone && !strings.Contains(n[len(n)-1].Body, "Settings → API Keys") {
				t.Errorf("removal notice does not say where to revoke: %q", n[len(n)-1].Body)
			}
			if tc.answer == ErrNoDialogTool && !strings.Contains(n[len(n)-1].Body, "anykey rm work") {
				t.Errorf("no-dialog notice does not name the command: %q", n[len(n)-1].Body)
			}
		})
	}
}

func TestAutostartToggle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	for _, want := range []bool{true, false} {
		e.click(ActAutostart, "")
		if on, _ := e.auto.Enabled(); on != want {
			t.Errorf("after a click autostart = %v, want %v", on, want)
		}
	}
	e.auto.err = errors.New("read-only file system")
	e.click(ActAutostart, "")
	if got := lastTitle(e); got != "Could not change start at login" {
		t.Errorf("notification %q", got)
	}
}

func TestOpenAnytype(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	e.click(ActOpenAnytype, "")
	if len(e.open.urls) != 1 || e.open.urls[0] != "anytype://" {
		t.Errorf("opened %q", e.open.urls)
	}
	e.open.err = errors.New("exec: xdg-open: not found")
	e.click(ActOpenAnytype, "")
	if got := lastTitle(e); got != "Could not open Anytype" {
		t.Errorf("notification %q", got)
	}
	// Nothing handles anytype:// (xdg-open's exit status 3): said so.
	e.open.err = fmt.Errorf("xdg-open anytype://: %w (exit status 3)", ErrNoHandler)
	e.click(ActOpenAnytype, "")
	if n := e.notes.all(); n[len(n)-1].Title != "Could not open Anytype" || !strings.Contains(n[len(n)-1].Body, "No program here opens anytype:// links") {
		t.Errorf("notification %+v", n[len(n)-1])
	}
}

func TestOneDialogSequenceAtATime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	release := make(chan struct{})
	e.prompt.entries = []answerFunc{func(ctx context.Context, d Dialog) (string, error) {
		<-release
		return "", ErrCanceled
	}}
	done := make(chan struct{})
	go func() { e.click(ActNewKey, ""); close(done) }()
	for len(e.prompt.dialogs()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	e.click(ActAddKey, "") // must not open a second dialog
	close(release)
	<-done
	if d := e.prompt.dialogs(); len(d) != 1 {
		t.Errorf("%d dialogs open at once", len(d))
	}
	if got := e.notes.titles(); !slices.Equal(got, []string{"anykey is already asking something"}) {
		t.Errorf("notifications %q", got)
	}
}
