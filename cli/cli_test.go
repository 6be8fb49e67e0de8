package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// harness runs run() in-process against keystore.Memory and a fake Anytype.
type harness struct {
	t      *testing.T
	srv    *fakeanytype.Server
	store  *keystore.Memory
	open   func() (keystore.Store, error)
	env    map[string]string
	deps   deps
	mu     sync.Mutex
	copies []copyCall
	trays  []string
	auto   *fakeAutostart
}

type copyCall struct {
	secret string
	after  time.Duration
}

func newHarness(t *testing.T, cfg fakeanytype.Config) *harness {
	t.Helper()
	// A home of the test's own, under every OS's name for it: MCP client
	// files are found from it, and on Windows USERPROFILE and APPDATA,
	// not HOME, would lead to the user's real ones.
	home := t.TempDir()
	h := &harness{t: t, srv: fakeanytype.Start(t, cfg), store: keystore.NewMemory(),
		env: map[string]string{"HOME": home, "USERPROFILE": home,
			"APPDATA": filepath.Join(home, "AppData", "Roaming"), "LOCALAPPDATA": filepath.Join(home, "AppData", "Local")},
		auto: &fakeAutostart{}}
	h.open = func() (keystore.Store, error) { return h.store, nil }
	h.deps = deps{
		openStore: func() (keystore.Store, error) { return h.open() },
		newClient: func(base, ua string) (*auth.Client, error) {
			return auth.NewClient(base, auth.WithUserAgent(ua), auth.WithTimeout(5*time.Second))
		},
		copy: func(s string, d time.Duration) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.copies = append(h.copies, copyCall{s, d})
			return nil
		},
		isTerminal: func(io.Reader) bool { return false },
		readHidden: func(context.Context, io.Reader) (string, error) { return "", errors.New("no terminal in tests") },
		environ:    func() []string { return []string{"PATH=/usr/bin:/bin", "ANYTYPE_API_KEY=stale"} },
		now:        func() time.Time { return time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC) },
		tray: func(apiURL string, _ io.Writer) int {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.trays = append(h.trays, apiURL)
			return 0
		},
		autostart:   h.auto,
		defaultURLs: []string{h.srv.URL()},
		version:     "1.2.3-test",
	}
	return h
}

// result is one run's outcome.
type result struct {
	code           int
	stdout, stderr string
}

func (h *harness) run(stdin io.Reader, args ...string) result {
	h.t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errb bytes.Buffer
	code := run(h.t.Context(), h.deps, args, stdin, &out, &errb, func(k string) string { return h.env[k] })
	return result{code, out.String(), errb.String()}
}

// codes is a stdin that types one code per line, worked out only when the
// flow reads it: the right code exists once the challenge does.
type codes struct {
	srv   *fakeanytype.Server
	lines []string
	id    string
	buf   []byte
}

const (
	rightCode = "<right>"
	wrongCode = "<wrong>"
	wideCode  = "<wide>" // the right code in full-width digits (e2e tests)
	// the right code in Arabic-Indic digits, as an Arabic keyboard types it,
	// and in Extended Arabic-Indic (Persian, Urdu) with a hyphen (e2e tests)
	arabicCode  = "<arabic>"
	persianCode = "<persian>"
)

func (c *codes) Read(p []byte) (int, error) {
	if len(c.buf) == 0 {
		if len(c.lines) == 0 {
			return 0, io.EOF
		}
		line := c.lines[0]
		c.lines = c.lines[1:]
		if line == rightCode || line == wrongCode {
			if c.id == "" {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				id, _, err := c.srv.WaitChallenge(ctx)
				cancel()
				if err != nil {
					return 0, fmt.Errorf("no challenge: %w", err)
				}
				c.id = id
			}
			code, _ := c.srv.Code(c.id)
			if line == wrongCode {
				n, _ := strconv.Atoi(code)
				code = fmt.Sprintf("%04d", (n+1)%10000)
			}
			line = code
		}
		c.buf = []byte(line + "\n")
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

// closedURL is a loopback URL where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// mint makes a key on the fake server the way Anytype's Settings would.
func mint(t *testing.T, srv *fakeanytype.Server) string {
	t.Helper()
	c, err := auth.NewClient(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	ch, err := c.CreateChallenge(t.Context(), "settings")
	if err != nil {
		t.Fatal(err)
	}
	_, code, err := srv.WaitChallenge(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	k, err := c.CreateAPIKey(t.Context(), ch, code)
	if err != nil {
		t.Fatal(err)
	}
	return k.Secret
}

// noSecrets fails if any minted key shows in text.
func noSecrets(t *testing.T, what, text string, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if k != "" && strings.Contains(text, k) {
			t.Errorf("%s contains a key", what)
		}
	}
}

func want(t *testing.T, what, got string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(got, s) {
			t.Errorf("%s does not contain %q:\n%s", what, s, got)
		}
	}
}

type fakeAutostart struct {
	mu sync.Mutex
	on bool
}

func (a *fakeAutostart) Enable() error  { a.mu.Lock(); defer a.mu.Unlock(); a.on = true; return nil }
func (a *fakeAutostart) Disable() error { a.mu.Lock(); defer a.mu.Unlock(); a.on = false; return nil }
func (a *fakeAutostart) Enabled() (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.on, nil
}
func (a *fakeAutostart) Path() (string, error) { return "/tmp/autostart/anykey.desktop", nil }

func TestUsageAndHelp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args     []string
		code     int
		stdout   string
		stderr   string
		noStdout bool
	}{
		{args: []string{"help"}, code: 0, stdout: "Usage: anykey"},
		{args: []string{"-h"}, code: 0, stdout: "Usage: anykey"},
		{args: []string{"--help"}, code: 0, stdout: "Usage: anykey"},
		{args: []string{"pair", "--help"}, code: 0, stdout: "pair NAME [--force]"},
		{args: []string{"exec", "-h"}, code: 0, stdout: "exec NAME -- CMD"},
		{args: []string{"version"}, code: 0, stdout: "anykey 1.2.3-test\n"},
		{args: []string{"--version"}, code: 0, stdout: "anykey 1.2.3-test\n"},
		{args: []string{"frobnicate"}, code: 2, stderr: `unknown command "frobnicate"`, noStdout: true},
		{args: []string{"--frob", "list"}, code: 2, stderr: "unknown flag --frob", noStdout: true},
		{args: []string{"--api-url"}, code: 2, stderr: "--api-url needs a URL", noStdout: true},
		{args: []string{"pair"}, code: 2, stderr: "pair: missing NAME", noStdout: true},
		{args: []string{"pair", "a", "b"}, code: 2, stderr: `unexpected argument "b"`, noStdout: true},
		{args: []string{"pair", "a", "--forse"}, code: 2, stderr: "anykey: pair: unknown flag --forse (did you mean --force?)\nanykey: hint: anykey help pair shows its usage\n", noStdout: true},
		{args: []string{"get"}, code: 2, stderr: "anykey: hint: anykey help get shows its usage", noStdout: true},
		{args: []string{"list", "extra"}, code: 2, stderr: "anykey help list", noStdout: true},
		{args: []string{"verify", "a", "b"}, code: 2, stderr: "anykey help verify", noStdout: true},
		{args: []string{"help", "pair"}, code: 0, stdout: "Usage: anykey [--api-url URL] pair NAME [--force]\n"},
		{args: []string{"help", "exec"}, code: 0, stdout: "ANYTYPE_API_KEY"},
		{args: []string{"copy", "--help"}, code: 0, stdout: "copy NAME [--clear-after DURATION]"},
		{args: []string{"ls", "-h"}, code: 0, stdout: "list [--json]"},
		{args: []string{"help", "lsit"}, code: 2, stderr: `did you mean "list"?`, noStdout: true},
		{args: []string{"lsit"}, code: 2, stderr: "anykey: unknown command \"lsit\"\nanykey: did you mean \"list\"?\nanykey: hint: anykey help lists the commands\n", noStdout: true},
		{args: []string{"verfiy"}, code: 2, stderr: `did you mean "verify"?`, noStdout: true},
		{args: []string{"autostrat", "on"}, code: 2, stderr: `did you mean "autostart"?`, noStdout: true},
		{args: []string{"--api-url", "http://example.com", "list"}, code: 2, stderr: "must point to this machine", noStdout: true},
		{args: []string{"list", "--api-url", "http://10.0.0.1:31009"}, code: 2, stderr: "must point to this machine", noStdout: true},
		{args: []string{"--api-url", "http://example.com", "version"}, code: 2, stderr: "must point to this machine", noStdout: true},
		{args: []string{"--api-url", "http://example.com", "exec", "w", "--", "true"}, code: 2, stderr: "must point to this machine", noStdout: true},
		{args: []string{"env", "w", "--shell", "tcsh"}, code: 2, stderr: `unknown shell "tcsh"`, noStdout: true},
		{args: []string{"exec", "w"}, code: 2, stderr: "missing CMD", noStdout: true},
		{args: []string{"exec", "w", "--"}, code: 2, stderr: "missing CMD", noStdout: true},
		{args: []string{"exec"}, code: 2, stderr: "anykey help exec", noStdout: true},
		{args: []string{"copy", "w", "--clear-after", "soon"}, code: 2, stderr: "clear-after", noStdout: true},
		{args: []string{"autostart", "maybe"}, code: 2, stderr: "expected on, off or status", noStdout: true},
		{args: []string{"autostart"}, code: 2, stderr: "on, off or status", noStdout: true},
		{args: []string{"--api-url", "http://example.com", "pair", "w"}, code: 2, stderr: "must point to this machine", noStdout: true},
		{args: []string{"--api-url", "ftp://127.0.0.1", "pair", "w"}, code: 2, stderr: "anykey: hint: use a local address", noStdout: true},
		{args: []string{"pair", "a/b"}, code: 2, stderr: "anykey: hint: a name is 1–64", noStdout: true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, fakeanytype.Config{})
			r := h.run(nil, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\nstderr: %s", r.code, tt.code, r.stderr)
			}
			want(t, "stdout", r.stdout, tt.stdout)
			want(t, "stderr", r.stderr, tt.stderr)
			if tt.noStdout && r.stdout != "" {
				t.Errorf("stdout = %q, want nothing on a usage error", r.stdout)
			}
			if n := h.srv.Challenges(); n != 0 {
				t.Errorf("a usage error reached Anytype: %d challenges", n)
			}
		})
	}
}

func TestPairCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		cfg        fakeanytype.Config
		fault      fakeanytype.Fault
		seed       bool // a key "work" exists already
		args       []string
		lines      []string
		code       int
		stderr     []string
		challenges int
		saved      bool
	}{
		{name: "right code", args: []string{"pair", "work"}, lines: []string{rightCode},
			stderr: []string{"look at Anytype", "approve", `saved key "work"`}, challenges: 1, saved: true},
		{name: "wrong then right", args: []string{"pair", "work"}, lines: []string{wrongCode, rightCode},
			stderr: []string{"Anytype did not accept that code", "try 2 of 5"}, challenges: 1, saved: true},
		{name: "not four digits", args: []string{"pair", "work"}, lines: []string{"12", "abcd", rightCode},
			stderr: []string{"not a 4-digit code (nothing was sent to Anytype)"}, challenges: 1, saved: true},
		{name: "only malformed answers", args: []string{"pair", "work"}, lines: []string{"abcd", "12345", "12a4", "1", "x"},
			code: 1, stderr: []string{"5 answers were not a 4-digit code, no code reached Anytype"}, challenges: 1},
		{name: "malformed, then end of input", args: []string{"pair", "work"}, lines: []string{"abcd", "12345"},
			code: 1, stderr: []string{"pairing cancelled after 2 answers that were not a 4-digit code; no code reached Anytype; nothing was saved"}, challenges: 1},
		{name: "five wrong codes", args: []string{"pair", "work"},
			lines: []string{wrongCode, wrongCode, wrongCode, wrongCode, wrongCode, rightCode}, code: 1,
			stderr: []string{"did not accept any of the 5 codes", "answer that prompt first", "up to 3 minutes", "run anykey pair work again"}, challenges: 1},
		{name: "end of input cancels", args: []string{"pair", "work"}, code: 1,
			stderr: []string{"pairing cancelled"}, challenges: 1},
		{name: "empty line asks again", args: []string{"pair", "work"}, lines: []string{"", rightCode},
			stderr: []string{"no code was typed (nothing was sent to Anytype)", `saved key "work"`}, challenges: 1, saved: true},
		{name: "empty line, then end of input cancels", args: []string{"pair", "work"}, lines: []string{""}, code: 1,
			stderr: []string{"no code was typed", "pairing cancelled", "nothing was saved", "deny it there"}, challenges: 1},
		{name: "existing name refused before any request", seed: true, args: []string{"pair", "work"},
			lines: []string{rightCode}, code: 1, stderr: []string{`"work" already exists`, "--force"}},
		{name: "force after the name", seed: true, args: []string{"pair", "work", "--force"},
			lines: []string{rightCode}, challenges: 1, saved: true},
		{name: "force before the name", seed: true, args: []string{"pair", "--force", "work"},
			lines: []string{rightCode}, challenges: 1, saved: true},
		{name: "challenge refused", fault: fakeanytype.Fault500Create, args: []string{"pair", "work"},
			lines: []string{rightCode}, code: 1,
			stderr: []string{"refused to start pairing", "restart Anytype, then try again"}, challenges: 0},
		{name: "proxy html", fault: fakeanytype.FaultHTML502, args: []string{"pair", "work"},
			lines: []string{rightCode}, code: 1, stderr: []string{"unexpected answer from"}},
		{name: "old server", cfg: fakeanytype.Config{Version: "2025-04-22"}, args: []string{"pair", "old"},
			lines: []string{rightCode}, challenges: 1, saved: true},
		{name: "oldest server", cfg: fakeanytype.Config{Oldest: true}, args: []string{"pair", "old"},
			lines: []string{rightCode}, challenges: 1, saved: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tt.cfg)
			if tt.seed {
				if err := h.store.Set(t.Context(), keystore.Entry{Name: "work", APIURL: auth.DesktopURL}, "old-secret", false); err != nil {
					t.Fatal(err)
				}
			}
			h.srv.Fault(tt.fault)
			r := h.run(&codes{srv: h.srv, lines: tt.lines}, append([]string{"--api-url", h.srv.URL()}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.code, tt.code, r.stderr)
			}
			want(t, "stderr", r.stderr, tt.stderr...)
			if strings.Contains(r.stderr, "request is used up") || strings.Contains(r.stderr, "pairing request is used") {
				t.Errorf("pair calls the request used up; Anytype may not have counted the codes:\n%s", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("pair wrote to stdout: %q", r.stdout)
			}
			if tt.fault != fakeanytype.Fault500Create && tt.fault != fakeanytype.FaultHTML502 {
				if got := h.srv.Challenges(); got != tt.challenges {
					t.Errorf("challenges = %d, want %d", got, tt.challenges)
				}
			}
			keys := h.srv.Keys()
			noSecrets(t, "stderr", r.stderr, keys...)
			name := tt.args[len(tt.args)-1]
			if name == "--force" {
				name = tt.args[1]
			}
			got, err := h.store.Get(t.Context(), name)
			switch {
			case tt.saved && (err != nil || len(keys) != 1 || got != keys[0]):
				t.Errorf("the minted key was not saved as %q (err %v)", name, err)
			case !tt.saved && tt.seed && got != "old-secret":
				t.Errorf("the existing key was touched")
			case !tt.saved && !tt.seed && !errors.Is(err, keystore.ErrNotFound):
				t.Errorf("Get after a failed pair = %v, want ErrNotFound", err)
			}
			if tt.saved {
				e, _ := h.store.Lookup(t.Context(), name)
				if e.APIURL != h.srv.URL() {
					t.Errorf("entry url = %q, want %q", e.APIURL, h.srv.URL())
				}
			}
		})
	}
}

func TestPairSaveFailurePrintsKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fakeanytype.Config{})
	h.store.FailSecrets(fmt.Errorf("%w: no secret service", keystore.ErrUnavailable))
	r := h.run(&codes{srv: h.srv, lines: []string{rightCode}}, "pair", "work")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", r.code, r.stderr)
	}
	keys := h.srv.Keys()
	if len(keys) != 1 || r.stdout != keys[0]+"\n" {
		t.Fatalf("stdout is not exactly the minted key and a newline: %d bytes", len(r.stdout))
	}
	want(t, "stderr", r.stderr, "was NOT saved", "store it safely now", "unlock your keyring")
	noSecrets(t, "stderr", r.stderr, keys...)
	h.store.FailSecrets(nil)
	if es, err := h.store.List(t.Context()); err != nil || len(es) != 0 {
		t.Errorf("an entry was left behind: %v %v", es, err)
	}
}
