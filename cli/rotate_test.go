package cli

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// rotateHarness saves key "work" made on the fake, with default URLs that
// lead nowhere: rotate must use the URL saved with the name.
func rotateHarness(t *testing.T, cfg fakeanytype.Config) (*harness, string) {
	t.Helper()
	h := newHarness(t, cfg)
	h.deps.defaultURLs = []string{closedURL(t)}
	old := h.srv.AddKey(fakeanytype.KeyOptions{Name: "work"})
	e := keystore.Entry{Name: "work", APIURL: h.srv.URL(), CreatedAt: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)}
	if err := h.store.Set(t.Context(), e, old, false); err != nil {
		t.Fatal(err)
	}
	return h, old
}

func TestRotate(t *testing.T) {
	t.Parallel()
	h, old := rotateHarness(t, fakeanytype.Config{Whoami: true, PrefixedKeys: true})
	r := h.run(&codes{srv: h.srv, lines: []string{rightCode}}, "rotate", "work")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	want(t, "stderr", r.stderr, `replaced key "work" with a new one for `+h.srv.URL(),
		"Settings → API Keys, revoke the older of the two keys named \"work\" (created "+dateText(time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)))
	keys := h.srv.Keys()
	got, err := h.store.Get(t.Context(), "work")
	if err != nil || got == old || got != keys[len(keys)-1] {
		t.Errorf("saved secret is not the new key (err %v)", err)
	}
	e, _ := h.store.Lookup(t.Context(), "work")
	if e.APIURL != h.srv.URL() || !e.CreatedAt.After(time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)) {
		t.Errorf("entry after rotate = %+v", e)
	}
	if e.Kind != "scoped" || len(e.Grant) == 0 {
		t.Errorf("a re-paired key carries a grant: %+v", e)
	}
	if n := h.srv.Challenges(); n != 1 {
		t.Errorf("%d challenges, want 1", n)
	}
	noSecrets(t, "output", r.stdout+r.stderr, keys...)
	// Keyless MCP entries run `anykey exec --mask NAME`, which reads the
	// key by name: they get the new one without being touched.
	if g := h.run(nil, "get", "work"); g.stdout != keys[len(keys)-1]+"\n" {
		t.Errorf("get after rotate does not give the new key")
	}
}

// TestRotateFailureKeepsOldKey: a rotation that fails anywhere leaves the
// saved key as it was, and says so.
func TestRotateFailureKeepsOldKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		lines      []string
		setup      func(h *harness)
		stderr     []string
		challenges int
	}{
		{"wrong codes", []string{wrongCode, wrongCode, wrongCode, wrongCode, wrongCode}, nil,
			[]string{"did not accept any of the 5 codes", "run anykey rotate work again", `the saved key "work" was not changed`}, 1},
		{"cancelled", nil, nil, []string{"pairing cancelled", `the saved key "work" was not changed: it works as before`}, 1},
		{"save fails", []string{rightCode}, func(h *harness) { h.store.FailIndex(errors.New("disk full")) },
			[]string{`the new key "work" was NOT saved`, "anykey add work --force", `the saved key "work" was not changed`}, 1},
		{"anytype down", []string{rightCode}, func(h *harness) {
			h.store.Set(h.t.Context(), keystore.Entry{Name: "work", APIURL: closedURL(h.t)}, "old-dead", true)
		}, []string{"not running", `the saved key "work" was not changed`}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h, old := rotateHarness(t, fakeanytype.Config{})
			if tc.setup != nil {
				tc.setup(h)
				if s, _ := h.store.Get(t.Context(), "work"); s != old {
					old = s
				}
			}
			r := h.run(&codes{srv: h.srv, lines: tc.lines}, "rotate", "work")
			if r.code != 1 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			want(t, "stderr", r.stderr, tc.stderr...)
			if got, err := h.store.Get(t.Context(), "work"); err != nil || got != old {
				t.Errorf("the old key was changed or lost (err %v)", err)
			}
			if n := h.srv.Challenges(); n != tc.challenges {
				t.Errorf("%d challenges, want %d", n, tc.challenges)
			}
		})
	}
}

func TestRotateUnknownName(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fakeanytype.Config{})
	r := h.run(strings.NewReader("1234\n"), "rotate", "nope")
	if r.code != 1 || h.srv.Challenges() != 0 {
		t.Fatalf("exit %d, %d challenges\n%s", r.code, h.srv.Challenges(), r.stderr)
	}
	want(t, "stderr", r.stderr, `no key named "nope" to replace`, "anykey pair nope")
	if r := h.run(nil, "rotate"); r.code != 2 {
		t.Errorf("rotate without a name: exit %d", r.code)
	}
}

// TestRotateExpiredOldKey: rotating a key that has expired (the answer
// verify gives to "expired") never says the old key still works, neither
// when the rotation succeeds nor when it fails.
func TestRotateExpiredOldKey(t *testing.T) {
	t.Parallel()
	expired := func(h *harness) {
		e, err := h.store.Lookup(h.t.Context(), "work")
		if err != nil {
			h.t.Fatal(err)
		}
		e.ExpiresAt = "2026-01-03T00:00:00Z"
		old, _ := h.store.Get(h.t.Context(), "work")
		if err := h.store.Set(h.t.Context(), e, old, true); err != nil {
			h.t.Fatal(err)
		}
	}
	t.Run("replaced", func(t *testing.T) {
		t.Parallel()
		h, _ := rotateHarness(t, fakeanytype.Config{Whoami: true, PrefixedKeys: true})
		expired(h)
		r := h.run(&codes{srv: h.srv, lines: []string{rightCode}}, "rotate", "work")
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		want(t, "stderr", r.stderr, "the old key expired on "+dateText(time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)),
			`revoke the older of the two keys named "work"`, "or, if you made the old key there and added it, the one under the name you gave it")
		if strings.Contains(r.stderr, "still works") {
			t.Errorf("an expired key is said to work:\n%s", r.stderr)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		h, _ := rotateHarness(t, fakeanytype.Config{})
		expired(h)
		r := h.run(&codes{srv: h.srv}, "rotate", "work")
		if r.code != 1 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		want(t, "stderr", r.stderr, `the saved key "work" was not changed (it expired on `)
		if strings.Contains(r.stderr, "works as before") {
			t.Errorf("an expired key is said to work:\n%s", r.stderr)
		}
	})
}

// TestCodePromptEndsItsLine: Ctrl-D (or Ctrl-C) at the terminal's code
// prompt echoes no newline; the cancel message starts its own line.
func TestCodePromptEndsItsLine(t *testing.T) {
	t.Parallel()
	h, _ := rotateHarness(t, fakeanytype.Config{})
	h.deps.isTerminal = func(io.Reader) bool { return true }
	for _, args := range [][]string{{"--api-url", h.srv.URL(), "pair", "other"}, {"rotate", "work"}} {
		r := h.run(strings.NewReader(""), args...)
		if r.code != 1 || !strings.Contains(r.stderr, codePrompt+"\nanykey: pairing cancelled") {
			t.Errorf("%s: exit %d\n%q", args, r.code, r.stderr)
		}
	}
}

// TestAddForceHintsRotate: add --force over a saved name with a key Anytype
// refuses (expired, or rejected) hints rotate, not pair — pair refuses a
// saved name; a new name still gets pair.
func TestAddForceHintsRotate(t *testing.T) {
	t.Parallel()
	h, _ := rotateHarness(t, fakeanytype.Config{Whoami: true, PrefixedKeys: true})
	expired := h.srv.AddKey(fakeanytype.KeyOptions{Name: "x", ExpiresAt: time.Now().Add(-time.Hour)})
	for _, tc := range []struct {
		secret string
		args   []string
		want   string
	}{
		{expired, []string{"add", "work", "--force"}, "pair a new key with anykey rotate work"},
		{"not-a-key-anytype-knows", []string{"add", "work", "--force"}, "or run anykey rotate work"},
		{expired, []string{"add", "fresh", "--force"}, "pair a new key with anykey pair fresh"},
		{expired, []string{"add", "fresh2"}, "pair a new key with anykey pair fresh2"},
	} {
		r := h.run(strings.NewReader(tc.secret+"\n"), append([]string{"--api-url", h.srv.URL()}, tc.args...)...)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, want %q in\n%s", tc.args, r.code, tc.want, r.stderr)
		}
	}
}
