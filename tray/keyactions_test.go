package tray

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/clip"
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
		{ActCopyMCP, `Copied MCP config for "work"`, func(t *testing.T, got, url string) {
			var cfg struct {
				MCPServers map[string]struct {
					Command string
					Args    []string
					Env     map[string]string
				} `json:"mcpServers"`
			}
			if err := json.Unmarshal([]byte(got), &cfg); err != nil {
				t.Fatalf("mcp config is not JSON: %v", err)
			}
			s := cfg.MCPServers["anytype"]
			var h map[string]string
			if err := json.Unmarshal([]byte(s.Env["OPENAPI_MCP_HEADERS"]), &h); err != nil {
				t.Fatalf("OPENAPI_MCP_HEADERS is not a JSON object string: %v", err)
			}
			if h["Authorization"] != "Bearer "+secret || h["Anytype-Version"] != "2025-11-08" ||
				s.Env["ANYTYPE_API_BASE_URL"] != url || !slices.Contains(s.Args, "@anyproto/anytype-mcp") {
				t.Errorf("mcp config %+v", s)
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
