package cli

// End-to-end tests: the real anykey binary, the real Secret Service of the
// desktop session, and the fake Anytype server, with codes piped on stdin
// the way scripts use it.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
	// cleanupDirs are removed when the tests end (addCleanupDir).
	cleanupDirs []string
	cleanupMu   sync.Mutex
)

// addCleanupDir has dir removed when the tests end.
func addCleanupDir(dir string) {
	cleanupMu.Lock()
	defer cleanupMu.Unlock()
	cleanupDirs = append(cleanupDirs, dir)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	for _, d := range cleanupDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// anykeyBinary builds the binary once per test run, only for tests that
// need it, so a plain `go test` without a desktop session stays fast.
func anykeyBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "anykey-e2e-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "anykey")
		out, err := exec.Command("go", "build", "-tags", "anykey_e2e", "-ldflags", "-X main.Version=9.9.9-e2e", "-o", binPath, "..").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// e2e is one test's private world: a config dir, a fake Anytype, and key
// names no other test (or test package) in the shared keyring uses.
type e2e struct {
	t      *testing.T
	bin    string
	cfg    string
	srv    *fakeanytype.Server
	prefix string
	extra  []string // extra environment
}

func newE2E(t *testing.T, cfg fakeanytype.Config) *e2e {
	t.Helper()
	desktoptest.Require(t, desktoptest.SecretService)
	b := make([]byte, 4)
	rand.Read(b)
	e := &e2e{t: t, bin: anykeyBinary(t), cfg: t.TempDir(), srv: fakeanytype.Start(t, cfg),
		prefix: "e2e-" + hex.EncodeToString(b) + "-"}
	t.Cleanup(e.forgetAll)
	return e
}

func (e *e2e) name(s string) string { return e.prefix + s }

// forgetAll removes every key this test saved from the shared keyring.
func (e *e2e) forgetAll() {
	r := e.run(nil, "list", "--json")
	for _, line := range strings.Split(r.stdout, "\n") {
		if i := strings.Index(line, `"name": "`); i >= 0 {
			n := strings.TrimSuffix(strings.TrimSpace(line[i+9:]), `",`)
			e.run(nil, "rm", n)
		}
	}
}

func (e *e2e) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, e.bin, args...)
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") && !strings.HasPrefix(kv, EnvAPIURL+"=") &&
			!strings.HasPrefix(kv, "ANYKEY_CLIP_TIME=") && !strings.HasPrefix(kv, keystore.EnvDir+"=") {
			env = append(env, kv)
		}
	}
	// APPDATA too: Windows ignores XDG_CONFIG_HOME, and without it a run
	// there would use (and the cleanup remove) the user's own keys. The
	// user's ANYKEY_CONFIG_DIR goes: it outranks both.
	cmd.Env = append(env, append([]string{"XDG_CONFIG_HOME=" + e.cfg, "APPDATA=" + e.cfg, EnvAPIURL + "=" + e.srv.URL()}, e.extra...)...)
	return cmd
}

// run runs anykey with stdin (nil: empty) and returns what it printed.
func (e *e2e) run(stdin io.Reader, args ...string) result {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := e.command(ctx, args...)
	cmd.Stdin = stdin
	return runAnykey(e.t, cmd)
}

// runAnykey runs cmd (an anykey command) to its end and returns its exit
// status and what it printed; it fails t when cmd could not run at all.
func runAnykey(t *testing.T, cmd *exec.Cmd) result {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("running anykey %s: %v after %v; its stderr:\n%s", strings.Join(cmd.Args[1:], " "), err, time.Since(start).Round(time.Millisecond), errb.String())
		}
		code = ee.ExitCode()
	}
	return result{code, out.String(), errb.String()}
}

// pair runs anykey with lines on stdin once the challenge exists;
// rightCode and wrongCode stand for the code the fake server shows.
func (e *e2e) pair(lines []string, args ...string) result {
	e.t.Helper()
	// An os.Pipe, not io.Pipe: the child reads the file directly, so Wait
	// does not wait for the writer, which may still be waiting for a
	// challenge that never comes (a refused name).
	pr, pw, err := os.Pipe()
	if err != nil {
		e.t.Fatal(err)
	}
	defer pr.Close()
	needsCode := false
	for _, l := range lines {
		needsCode = needsCode || l == rightCode || l == wrongCode || l == wideCode || l == arabicCode || l == persianCode
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	go func() {
		defer pw.Close()
		code := ""
		if needsCode {
			var err error
			if _, code, err = e.srv.WaitChallenge(ctx); err != nil {
				return
			}
		}
		for _, l := range lines {
			switch l {
			case rightCode:
				l = code
			case wrongCode:
				n, _ := strconv.Atoi(code)
				l = fmt.Sprintf("%04d", (n+1)%10000)
			case wideCode: // full-width, spaced, as an East Asian IME types it
				l = strings.Map(func(r rune) rune { return r - '0' + '０' }, code[:2]) + " " +
					strings.Map(func(r rune) rune { return r - '0' + '０' }, code[2:])
			case arabicCode:
				l = strings.Map(func(r rune) rune { return r - '0' + '٠' }, code)
			case persianCode:
				l = strings.Map(func(r rune) rune { return r - '0' + '۰' }, code[:2]) + "-" +
					strings.Map(func(r rune) rune { return r - '0' + '۰' }, code[2:])
			}
			io.WriteString(pw, l+"\n")
		}
	}()
	return e.run(pr, args...)
}

// keyring reads a secret straight from the Secret Service.
func keyring(t *testing.T, name string) string {
	t.Helper()
	// desktoptest's lookup retries the sessions KWallet refuses (about one
	// in 256 of secret-tool's); a bare secret-tool made those "no key".
	out, _ := desktoptest.SecretToolLookup(t.Context(), keystore.TestService, name)
	return out
}

func TestE2EPair(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string // after "pair NAME"
		lines      []string
		seed       bool
		code       int
		stderr     string
		challenges int
		saved      bool
	}{
		{name: "right", lines: []string{rightCode}, challenges: 1, saved: true, stderr: "look at Anytype"},
		{name: "wrong-then-right", lines: []string{wrongCode, rightCode}, challenges: 1, saved: true,
			stderr: "Anytype did not accept that code"},
		{name: "five-wrong", lines: []string{wrongCode, wrongCode, wrongCode, wrongCode, wrongCode, rightCode},
			code: 1, challenges: 1, stderr: "did not accept any of the 5 codes"},
		{name: "empty-line-asks-again", lines: []string{"", rightCode}, challenges: 1, saved: true,
			stderr: "no code was typed (nothing was sent to Anytype)"},
		{name: "not-4-digits", lines: []string{"12345", "x", rightCode}, challenges: 1, saved: true,
			stderr: "not a 4-digit code (nothing was sent to Anytype)"},
		// Nothing on stdin and its writer gone: no challenge is spent.
		{name: "eof", code: 1, challenges: 0, stderr: "stdin is at its end"},
		{name: "full-width", lines: []string{wideCode}, challenges: 1, saved: true},
		{name: "arabic-indic", lines: []string{arabicCode}, challenges: 1, saved: true},
		{name: "persian-hyphen", lines: []string{persianCode}, challenges: 1, saved: true},
		{name: "only-malformed", lines: []string{"abcd", "12345", "12a4", "1", "x"}, code: 1, challenges: 1,
			stderr: "5 answers were not a 4-digit code, no code reached Anytype"},
		{name: "existing", seed: true, lines: []string{rightCode}, code: 1, stderr: "already exists"},
		{name: "force", seed: true, args: []string{"--force"}, lines: []string{rightCode}, challenges: 1, saved: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newE2E(t, fakeanytype.Config{})
			name := e.name(tt.name)
			if tt.seed {
				if r := e.run(strings.NewReader("seeded-secret\n"), "add", name, "--no-verify"); r.code != 0 {
					t.Fatalf("seeding: %s", r.stderr)
				}
			}
			if tt.seed && tt.saved && desktoptest.SecretServiceProvider() == "keepassxc" {
				// KeePassXC 2.7 asks the user before a process replaces an item
				// it did not create, whatever ConfirmAccessItem says (its
				// UnlockPrompt::unlockItems honours that setting only in later
				// releases): answer its Access Request as the user would.
				desktoptest.LockGUI(t)
				go desktoptest.TypeIntoWindow(t.Context(), "Access Request$", "", "Return")
			}
			r := e.pair(tt.lines, append([]string{"pair", name}, tt.args...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.code, tt.code, r.stderr)
			}
			want(t, "stderr", r.stderr, tt.stderr)
			if r.stdout != "" {
				t.Errorf("stdout = %q", r.stdout)
			}
			if got := e.srv.Challenges(); got != tt.challenges {
				t.Errorf("challenges = %d, want %d", got, tt.challenges)
			}
			keys := e.srv.Keys()
			noSecrets(t, "stderr", r.stderr, keys...)
			got := keyring(t, name)
			switch {
			case tt.saved && (len(keys) != 1 || got != keys[0]):
				t.Errorf("the Secret Service does not hold the minted key for %s", name)
			case !tt.saved && tt.seed && got != "seeded-secret":
				t.Errorf("the existing secret was changed")
			case !tt.saved && !tt.seed && got != "":
				t.Errorf("a secret was stored after a failed pairing")
			}
		})
	}
}

func TestE2EAdd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		key   string // "" = a real key
		flags []string
		down  bool
		code  int
		saved bool
		paste string // how the key arrives; %s is the key ("%s\n" when empty)
	}{
		{name: "valid", saved: true},
		{name: "bom-crlf", saved: true, paste: "\ufeff%s\r\n"},
		{name: "bom-crlf-no-verify", down: true, flags: []string{"--no-verify"}, saved: true, paste: "\ufeff%s\r\n"},
		{name: "zero-width-inside-no-verify", down: true, flags: []string{"--no-verify"}, code: 1, paste: "x\u200b%s\n"},
		{name: "rejected", key: "not-a-key", code: 1},
		{name: "unreachable", down: true, code: 1},
		{name: "no-verify", down: true, flags: []string{"--no-verify"}, saved: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newE2E(t, fakeanytype.Config{})
			key := tt.key
			if key == "" {
				key = mint(t, e.srv)
			}
			if tt.down {
				e.extra = []string{EnvAPIURL + "=" + closedURL(t)}
			}
			name := e.name(tt.name)
			paste := tt.paste
			if paste == "" {
				paste = "%s\n"
			}
			r := e.run(strings.NewReader(fmt.Sprintf(paste, key)), append([]string{"add", name}, tt.flags...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.code, tt.code, r.stderr)
			}
			noSecrets(t, "output", r.stdout+r.stderr, key)
			if got := keyring(t, name); (got == key) != tt.saved {
				t.Errorf("saved in the keyring: %v, want %v", got == key, tt.saved)
			}
		})
	}
}

// savedKeyE2E saves a key with add --no-verify and returns its name and secret.
func savedKeyE2E(t *testing.T) (*e2e, string, string) {
	t.Helper()
	e := newE2E(t, fakeanytype.Config{})
	name := e.name("exec")
	key := "exec-test-key-" + e.prefix
	if r := e.run(strings.NewReader(key+"\n"), "add", name, "--no-verify"); r.code != 0 {
		t.Fatalf("add: %s", r.stderr)
	}
	return e, name, key
}
