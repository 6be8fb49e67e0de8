package tray

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

func lastTitle(e *env) string {
	t := e.notes.titles()
	if len(t) == 0 {
		return ""
	}
	return t[len(t)-1]
}

func TestNewKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		cfg  fakeanytype.Config
		// script builds the dialog answers: name first, then codes.
		script     func(c *codes) []answerFunc
		wantSaved  bool
		wantTitles []string
		wantTries  int    // code dialogs shown
		retry      string // what the second code dialog says first
	}{
		{
			name:       "right code saves, copies and says so",
			script:     func(c *codes) []answerFunc { return []answerFunc{acceptDefault, c.right} },
			wantSaved:  true,
			wantTitles: []string{`Pairing "anykey" with Anytype`, `Key "anykey" saved — it is on your clipboard`},
			wantTries:  1,
		},
		{
			name:       "newer server with approval first",
			cfg:        fakeanytype.Config{NeedsApproval: true, ApproveAfter: 50 * time.Millisecond, PrefixedKeys: true, Whoami: true},
			script:     func(c *codes) []answerFunc { return []answerFunc{acceptDefault, c.right} },
			wantSaved:  true,
			wantTitles: []string{`Pairing "anykey" with Anytype`, `Key "anykey" saved — it is on your clipboard`},
			wantTries:  1,
		},
		{
			name:       "wrong code then the right one on the same challenge",
			script:     func(c *codes) []answerFunc { return []answerFunc{acceptDefault, c.wrong, c.right} },
			wantSaved:  true,
			wantTitles: []string{`Pairing "anykey" with Anytype`, `Key "anykey" saved — it is on your clipboard`},
			wantTries:  2,
			retry:      "Anytype did not accept that code: if Anytype asks you to allow the request, answer that first",
		},
		{
			name:       "OK on an empty code field asks again",
			script:     func(c *codes) []answerFunc { return []answerFunc{acceptDefault, answer(""), c.right} },
			wantSaved:  true,
			wantTitles: []string{`Pairing "anykey" with Anytype`, `Key "anykey" saved — it is on your clipboard`},
			wantTries:  2,
			retry:      "No code was typed (nothing was sent to Anytype)",
		},
		{
			name: "five wrong codes stop pairing",
			script: func(c *codes) []answerFunc {
				return []answerFunc{acceptDefault, c.wrong, c.wrong, c.wrong, c.wrong, c.wrong}
			},
			wantTitles: []string{`Pairing "anykey" with Anytype`, "Pairing stopped"},
			wantTries:  5,
			retry:      "Anytype did not accept that code",
		},
		{
			name:       "cancel at the code dialog says so",
			script:     func(c *codes) []answerFunc { return []answerFunc{acceptDefault, fail(ErrCanceled)} },
			wantTitles: []string{`Pairing "anykey" with Anytype`, "Pairing cancelled"},
			wantTries:  1,
		},
		{
			name:       "cancel at the name dialog starts no challenge",
			script:     func(c *codes) []answerFunc { return []answerFunc{fail(ErrCanceled)} },
			wantTitles: nil,
		},
		{
			name:       "no dialog tool says what to install",
			script:     func(c *codes) []answerFunc { return []answerFunc{fail(ErrNoDialogTool)} },
			wantTitles: []string{"anykey cannot show a dialog"},
		},
		{
			name:       "no display at the code dialog",
			script:     func(c *codes) []answerFunc { return []answerFunc{acceptDefault, fail(ErrNoDisplay)} },
			wantTitles: []string{`Pairing "anykey" with Anytype`, "anykey cannot show a dialog"},
			wantTries:  1,
		},
		{
			name:       "challenge refused",
			script:     func(c *codes) []answerFunc { c.s.Fault(fakeanytype.Fault500Create); return []answerFunc{acceptDefault} },
			wantTitles: []string{"Anytype refused to start pairing"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tc.cfg)
			e.prompt.entries = tc.script(&codes{s: e.srv})
			e.click(ActNewKey, "")

			if got := e.notes.titles(); !slices.Equal(got, tc.wantTitles) {
				t.Errorf("notifications = %q, want %q", got, tc.wantTitles)
			}
			var codeDialogs []Dialog
			for _, d := range e.prompt.dialogs() {
				if d.Title == `anykey — pairing "anykey"` {
					codeDialogs = append(codeDialogs, d)
				}
			}
			if len(codeDialogs) != tc.wantTries {
				t.Errorf("%d code dialogs, want %d", len(codeDialogs), tc.wantTries)
			}
			if len(codeDialogs) > 1 && !strings.HasPrefix(codeDialogs[1].Text, tc.retry) {
				t.Errorf("retry dialog text %q does not start %q", codeDialogs[1].Text, tc.retry)
			}
			if n := e.srv.Challenges(); n > 1 {
				t.Errorf("%d challenges, want at most 1", n)
			}
			for _, n := range e.notes.all() {
				// Anytype may not have counted the codes (approval first),
				// and a new request is refused while this one is open.
				if strings.Contains(n.Body, "used up") ||
					(n.Title == "Pairing stopped" || n.Title == "Pairing cancelled") && !strings.Contains(n.Body, "up to 3 minutes") {
					t.Errorf("notification %q: %q", n.Title, n.Body)
				}
			}
			got, err := e.store.Get(t.Context(), "anykey")
			if tc.wantSaved {
				keys := e.srv.Keys()
				if err != nil || len(keys) != 1 || got != keys[0] {
					t.Fatalf("saved %q (%v), fake minted %q", got, err, keys)
				}
				if c := e.clip.all(); len(c) != 1 || c[0] != keys[0] {
					t.Errorf("clipboard got %d copies, want the key once", len(c))
				}
				if e.clip.after[0] != 45*time.Second {
					t.Errorf("clear after %s", e.clip.after[0])
				}
			} else if !errors.Is(err, keystore.ErrNotFound) {
				t.Errorf("Get after a failed pairing: %v, want ErrNotFound", err)
			}
			if s := e.app.snapshot(); s.Pairing != "" {
				t.Errorf("still pairing %q after the flow ended", s.Pairing)
			}
		})
	}
}

func TestNewKeyNotRunning(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{}, deadURL(t))
	e.click(ActNewKey, "")
	if got := e.notes.titles(); !slices.Equal(got, []string{"Anytype is not running"}) {
		t.Errorf("notifications = %q", got)
	}
	if d := e.prompt.dialogs(); len(d) != 0 {
		t.Errorf("%d dialogs shown while Anytype is not running", len(d))
	}
	if s := e.app.snapshot(); s.Status != StatusNotRunning {
		t.Errorf("status = %v", s.Status)
	}
}

func TestNewKeySaveFailsKeyReachesClipboard(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	e.store.FailSecrets(keystore.ErrUnavailable)
	e.prompt.entries = []answerFunc{acceptDefault, (&codes{s: e.srv}).right}
	e.click(ActNewKey, "")
	keys := e.srv.Keys()
	if len(keys) != 1 {
		t.Fatalf("fake minted %d keys", len(keys))
	}
	if c := e.clip.all(); len(c) != 1 || c[0] != keys[0] {
		t.Errorf("the minted key did not reach the clipboard (%d copies)", len(c))
	}
	n := e.notes.all()
	last := n[len(n)-1]
	if last.Title != `Key "anykey" NOT saved — it is on your clipboard` || !strings.Contains(last.Body, "keychain") {
		t.Errorf("last notification = %+v", last)
	}
}

func TestNameDialog(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	e.save(t, "anykey", "k1")
	e.save(t, "anykey-2", "k2")
	e.app.loadKeys(t.Context())
	// First a taken name, then an invalid one, then cancel.
	e.prompt.entries = []answerFunc{answer("anykey"), answer("a/b"), fail(ErrCanceled)}
	e.click(ActNewKey, "")
	d := e.prompt.dialogs()
	if len(d) != 3 {
		t.Fatalf("%d dialogs, want 3", len(d))
	}
	if d[0].Default != "anykey-3" {
		t.Errorf("default name = %q, want anykey-3", d[0].Default)
	}
	if !strings.Contains(d[1].Text, `A key named "anykey" already exists`) {
		t.Errorf("second dialog: %q", d[1].Text)
	}
	if !strings.Contains(d[2].Text, "cannot be used") {
		t.Errorf("third dialog: %q", d[2].Text)
	}
	if n := e.srv.Challenges(); n != 0 {
		t.Errorf("%d challenges for a cancelled name", n)
	}
}

func TestUniqueName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		have []string
		want string
	}{
		{nil, "anykey"},
		{[]string{"work"}, "anykey"},
		{[]string{"anykey"}, "anykey-2"},
		{[]string{"anykey", "anykey-2", "anykey-3"}, "anykey-4"},
		{[]string{"anykey", "anykey-3"}, "anykey-2"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.have, ","), func(t *testing.T) {
			t.Parallel()
			var keys []keystore.Entry
			for _, n := range tc.have {
				keys = append(keys, keystore.Entry{Name: n})
			}
			if got := uniqueName(keys); got != tc.want {
				t.Errorf("uniqueName(%q) = %q, want %q", tc.have, got, tc.want)
			}
		})
	}
}

func TestAddKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		key       func(e *env) string // "" → the server is down
		wantTitle string
		wantSaved bool
	}{
		{"valid key is saved", func(e *env) string { return e.mint(t, "made-in-anytype") }, `Key "anykey" saved`, true},
		{"rejected key is refused", func(e *env) string { return "not-a-key" }, "Anytype rejected that key", false},
		{"a Limited key works on /v1 and is saved", func(e *env) string {
			return e.srv.AddKey(fakeanytype.KeyOptions{Name: "clipper", Scope: fakeanytype.ScopeLimited})
		}, `Key "anykey" saved`, true},
		{"an expired key is refused as expired, not rejected", func(e *env) string {
			return e.srv.AddKey(fakeanytype.KeyOptions{Name: "old", ExpiresAt: time.Now().Add(-time.Minute)})
		}, "That key has expired", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, fakeanytype.Config{Whoami: true})
			key := tc.key(e)
			e.extra = append(e.extra, key)
			e.prompt.entries = []answerFunc{acceptDefault, answer(key)}
			e.click(ActAddKey, "")
			if got := lastTitle(e); got != tc.wantTitle {
				t.Errorf("last notification %q, want %q", got, tc.wantTitle)
			}
			d := e.prompt.dialogs()
			if len(d) != 2 || !d[1].Hidden || d[1].Default != "" {
				t.Errorf("key dialog = %+v, want a hidden entry with no default", d)
			}
			got, err := e.store.Get(t.Context(), "anykey")
			if tc.wantSaved != (err == nil && got == key) {
				t.Errorf("saved = %v (%v), want %v", err == nil, err, tc.wantSaved)
			}
			if tc.wantSaved {
				ent, _ := e.store.Lookup(t.Context(), "anykey")
				if ent.APIURL != e.srv.URL() {
					t.Errorf("entry api url %q, want %q", ent.APIURL, e.srv.URL())
				}
			}
		})
	}
}

func TestKeychainProblem(t *testing.T) {
	t.Parallel()
	kw := keystore.Provider{Name: keystore.ProviderKWallet}
	tests := []struct {
		err  error
		p    keystore.Provider
		want string
	}{
		{&keystore.TimeoutError{Op: "reading", After: time.Second}, kw, "did not answer in time"},
		{fmt.Errorf("reading: %w", keystore.ErrUnavailable), kw, "Check that KWallet, the keychain in use, runs and is unlocked"},
		{fmt.Errorf("reading: %w", keystore.ErrUnavailable), keystore.Provider{}, "Start or unlock your keyring"},
		{fmt.Errorf("keys.json: %w", keystore.ErrCorruptIndex), kw, "left as it was"},
		{errors.New("something else"), kw, "something else"},
		// The remedy names the program in use, never another one.
		{fmt.Errorf("checking: %w", keystore.ErrNoCollection), kw, "create a wallet in KWallet"},
		{fmt.Errorf("checking: %w", keystore.ErrNoCollection), keystore.Provider{Name: keystore.ProviderKeePassXC}, "Secret Service Integration"},
		{fmt.Errorf("checking: %w", keystore.ErrLocked), kw, "unlock it in KWallet"},
		{fmt.Errorf("checking: %w", keystore.ErrLocked), keystore.Provider{Name: keystore.ProviderGNOMEKeyring}, "seahorse"},
	}
	for _, tt := range tests {
		if got := keychainProblem(tt.err, tt.p); !strings.Contains(got, tt.want) {
			t.Errorf("keychainProblem(%v) = %q, want it to contain %q", tt.err, got, tt.want)
		}
	}
}

// TestNewKeyKeychainNotReady: a keychain that cannot save stops New API
// key… before a challenge is spent, with the cause in the notification.
func TestNewKeyKeychainNotReady(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	e.store.FailReady(keystore.ErrNoSecretService)
	e.prompt.entries = []answerFunc{acceptDefault, (&codes{s: e.srv}).right}
	e.click(ActNewKey, "")
	if n := e.srv.Challenges(); n != 0 {
		t.Errorf("%d challenges spent", n)
	}
	n := e.notes.all()
	last := n[len(n)-1]
	if last.Title != "Cannot save a key right now" || !strings.Contains(last.Body, "gnome-keyring") {
		t.Errorf("last notification = %+v", last)
	}
	// Name last (issue 22): no name is asked for a key that cannot be saved.
	if d := e.prompt.dialogs(); len(d) != 0 {
		t.Errorf("%d dialogs shown before the keychain was found unready: %+v", len(d), d)
	}
}
