package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
	"github.com/mattn/go-runewidth"
)

// urlColumn is the display column where the API URL starts on each line.
func urlColumn(t *testing.T, out string) []int {
	t.Helper()
	var cols []int
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		i := strings.Index(line, "http://")
		if i < 0 {
			i = strings.Index(line, "API URL")
		}
		if i < 0 {
			t.Fatalf("no URL column in %q", line)
		}
		cols = append(cols, runewidth.StringWidth(line[:i]))
	}
	return cols
}

func TestListAlignsByDisplayWidth(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fakeanytype.Config{})
	for _, n := range []string{"work", "日本語のキー", "🔑 home", "cafe\u0301-nfd"} {
		e := keystore.Entry{Name: n, APIURL: "http://127.0.0.1:31009", CreatedAt: time.Unix(0, 0)}
		if err := h.store.Set(t.Context(), e, "secret", false); err != nil {
			t.Fatal(err)
		}
	}
	r := h.run(nil, "list")
	cols := urlColumn(t, r.stdout)
	for i, c := range cols {
		if c != cols[0] {
			t.Errorf("line %d: URL at column %d, header at %d:\n%s", i, c, cols[0], r.stdout)
		}
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("trailing blanks: %q", line)
		}
	}
}

func TestNamesThatLookTheSame(t *testing.T) {
	t.Parallel()
	nfc, nfd := "caf\u00e9", "cafe\u0301"
	tests := []struct {
		name   string
		seed   string
		args   []string
		stdin  string
		code   int
		stderr string
	}{
		{name: "NFD after NFC", seed: nfc, args: []string{"add", nfd, "--no-verify"}, stdin: "k2\n", code: 1,
			stderr: `a key named "café" already exists`},
		{name: "other case", seed: "Work", args: []string{"add", "work", "--no-verify"}, stdin: "k2\n", code: 1,
			stderr: `a key named "Work" already exists`},
		{name: "other case, pair", seed: "Work", args: []string{"pair", "WORK"}, code: 1,
			stderr: `a key named "Work" already exists`},
		{name: "leading dash", args: []string{"add", "--no-verify", "--", "-rf"}, stdin: "k2\n", code: 2,
			stderr: `starts with '-'`},
		{name: "leading dash, pair", args: []string{"pair", "--", "-rf"}, code: 2, stderr: `starts with '-'`},
		{name: "get by another spelling", seed: "Work", args: []string{"get", "WORK"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, fakeanytype.Config{})
			if tt.seed != "" {
				e := keystore.Entry{Name: tt.seed, APIURL: h.srv.URL(), CreatedAt: time.Unix(0, 0)}
				if err := h.store.Set(t.Context(), e, "first", false); err != nil {
					t.Fatal(err)
				}
			}
			r := h.run(strings.NewReader(tt.stdin), tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tt.code, r.stderr)
			}
			want(t, "stderr", r.stderr, tt.stderr)
			if h.srv.Challenges() != 0 {
				t.Errorf("a challenge was spent on a name that is taken or invalid")
			}
			list, _ := h.store.List(t.Context())
			if len(list) > 1 {
				t.Errorf("two keys: %+v", list)
			}
			if tt.seed != "" {
				if s, _ := h.store.Get(t.Context(), tt.seed); s != "first" {
					t.Errorf("the saved key was replaced")
				}
			}
		})
	}
}

func TestPairKeychainNotReady(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cause error
		say   string
		hint  string
	}{
		{keystore.ErrNoSessionBus, "no D-Bus session bus", "dbus-run-session"},
		{keystore.ErrNoSecretService, "no Secret Service answers", "apt install gnome-keyring"},
		{keystore.ErrLocked, "the keychain is locked", "unlock"},
	}
	for _, tt := range tests {
		h := newHarness(t, fakeanytype.Config{})
		h.store.FailReady(tt.cause)
		r := h.run(nil, "pair", "work")
		if r.code != 1 || r.stdout != "" {
			t.Errorf("%v: exit %d stdout %q", tt.cause, r.code, r.stdout)
		}
		want(t, "stderr", r.stderr, tt.say, tt.hint)
		if h.srv.Challenges() != 0 {
			t.Errorf("%v: a challenge was spent", tt.cause)
		}
	}
}
