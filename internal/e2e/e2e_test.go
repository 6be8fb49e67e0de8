package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// bin is the anykey binary TestMain built.
var bin string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

// EnvBin names a prebuilt anykey binary for TestMain to test instead of
// building one: scripts/wine-test.sh sets it to the release exe, since a
// test binary under Wine has no Go toolchain to build with.
const EnvBin = "ANYKEY_E2E_BIN"

// childEnv names the variable that makes this test binary act as a
// command a test runs through anykey (TestWindowsExecChild): then it
// builds nothing.
const childEnv = "ANYKEY_E2E_CHILD"

func buildAndRun(m *testing.M) int {
	if os.Getenv(childEnv) != "" {
		return m.Run()
	}
	if b := os.Getenv(EnvBin); b != "" {
		bin = b
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "anykey-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin = filepath.Join(dir, "anykey")
	args := []string{"build", "-tags", "anykey_e2e", "-o", bin}
	if raceBuild {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Dir = filepath.Join("..", "..") // the module root, where main lives
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building anykey:", err)
		return 1
	}
	return m.Run()
}

// sandbox is one test's private user: HOME, XDG dirs and TMPDIR under a
// temp dir, plus the environment every anykey run gets. Only the variables
// listed in passEnv come from the test's own environment, so a developer's
// ANYKEY_API_URL or config never leaks into a test.
type sandbox struct {
	t                       *testing.T
	root, home, config, tmp string
	env                     []string
	names                   []string // keychain entries to clear at the end
	mu                      sync.Mutex
	outputs                 []string // every stdout/stderr kept for hygiene scans
	exempt                  []string // outputs allowed to hold the key
	apiURL                  string
}

var passEnv = []string{"PATH", "DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "GDK_BACKEND",
	"DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "DESKTOP_SESSION_DIR", "DS_MARK", "NO_AT_BRIDGE",
	"LANG", "LC_ALL",
	// What a Windows program needs from its environment (Winsock and the
	// Credential Manager fail without SystemRoot; exec looks up PATHEXT).
	"SystemRoot", "SYSTEMROOT", "windir", "ComSpec", "PATHEXT", "SystemDrive"}

// clipTool is the clipboard tool atotto/clipboard runs in this session:
// wl-copy on Wayland, xclip on X11.
func clipTool() string {
	if desktoptest.Wayland() {
		return "wl-copy"
	}
	return "xclip"
}

func newSandbox(t *testing.T, apiURL string) *sandbox {
	t.Helper()
	root := t.TempDir()
	s := &sandbox{t: t, root: root, home: filepath.Join(root, "home"),
		config: filepath.Join(root, "config"), tmp: filepath.Join(root, "tmp"), apiURL: apiURL}
	for _, d := range []string{s.home, s.config, s.tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range passEnv {
		if v, ok := os.LookupEnv(k); ok {
			s.env = append(s.env, k+"="+v)
		}
	}
	s.env = append(s.env, "HOME="+s.home, "XDG_CONFIG_HOME="+s.config, "TMPDIR="+s.tmp,
		"XDG_DATA_HOME="+filepath.Join(s.home, ".local", "share"),
		"XDG_CACHE_HOME="+filepath.Join(s.home, ".cache"),
		"XDG_STATE_HOME="+filepath.Join(s.home, ".local", "state"),
		// Windows ignores XDG_*: its config dir is %APPDATA%, its home
		// %USERPROFILE%, its temp dir %TEMP%. Without these a test on
		// Windows would read and clean up the user's own keys.json.
		"APPDATA="+s.config, "LOCALAPPDATA="+filepath.Join(s.home, "AppData", "Local"),
		"USERPROFILE="+s.home, "TEMP="+s.tmp, "TMP="+s.tmp,
		// Short, so a stray clipboard helper never outlives the test by much.
		"ANYKEY_CLIP_TIME=3s")
	if apiURL != "" {
		s.env = append(s.env, "ANYKEY_API_URL="+apiURL)
	}
	t.Cleanup(s.clearSecrets)
	return s
}

// setenv overrides (or adds) one variable for later runs.
func (s *sandbox) setenv(k, v string) {
	s.env = withEnv(s.env, k, v)
}

func withEnv(env []string, k, v string) []string {
	out := make([]string, 0, len(env)+1)
	for _, e := range env {
		if !strings.HasPrefix(e, k+"=") {
			out = append(out, e)
		}
	}
	return append(out, k+"="+v)
}

func (s *sandbox) dir() string   { return filepath.Join(s.config, "anykey") }
func (s *sandbox) index() string { return filepath.Join(s.dir(), "keys.json") }

// name returns a key name unique across every test sharing the keychain,
// and clears its secret when the test ends.
func (s *sandbox) name(prefix string) string {
	b := make([]byte, 3)
	rand.Read(b)
	n := "e2e-" + prefix + "-" + hex.EncodeToString(b)
	s.mu.Lock()
	s.names = append(s.names, n)
	s.mu.Unlock()
	return n
}

func (s *sandbox) clearSecrets() { clearKeychain(s.names) }

// result is one finished anykey run.
type result struct {
	args           []string
	stdout, stderr string
	code           int
	took           time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("anykey %s: exit %d after %s\nstdout: %q\nstderr:\n%s",
		strings.Join(r.args, " "), r.code, r.took.Round(time.Millisecond), r.stdout, r.stderr)
}

// proc is a running anykey.
type proc struct {
	cmd            *exec.Cmd
	stdin          io.WriteCloser
	stdout, stderr *desktoptest.SyncBuffer
	start          time.Time
	done           chan struct{}
	res            result
}

// runOpts tweaks one run.
type runOpts struct {
	env    []string // extra KEY=VALUE, applied last
	wrap   []string // argv prefix, e.g. a read-only mount namespace
	exempt bool     // output may hold the key (get, env, exec, mcp)
}

// start runs anykey with args in the background, stdin a pipe.
func (s *sandbox) start(o runOpts, args ...string) *proc {
	s.t.Helper()
	argv := append(append(append([]string(nil), o.wrap...), bin), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	env := s.env
	for _, kv := range o.env {
		k, v, _ := strings.Cut(kv, "=")
		env = withEnv(env, k, v)
	}
	cmd.Env = env
	cmd.Dir = s.home
	// Wait returns at most 5 s after anykey ends even when something it
	// started (a clipboard helper, exec's command) still holds the output
	// pipes: a test never hangs on a grandchild.
	cmd.WaitDelay = 5 * time.Second
	p := &proc{cmd: cmd, stdout: &desktoptest.SyncBuffer{}, stderr: &desktoptest.SyncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	ownGroup(cmd)
	w, err := cmd.StdinPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	p.stdin = w
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	go func() {
		err := cmd.Wait()
		p.res = result{args: args, stdout: p.stdout.String(), stderr: p.stderr.String(),
			code: cmd.ProcessState.ExitCode(), took: time.Since(p.start)}
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			p.res.code = -1
		}
		s.mu.Lock()
		if o.exempt {
			s.exempt = append(s.exempt, p.res.stdout)
			s.outputs = append(s.outputs, p.res.stderr)
		} else {
			s.outputs = append(s.outputs, p.res.stdout, p.res.stderr)
		}
		s.mu.Unlock()
		close(p.done)
	}()
	return p
}

// wait returns the result, killing the process group after limit.
func (p *proc) wait(t *testing.T, limit time.Duration) result {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(limit):
		killGroup(p.cmd)
		<-p.done
		t.Fatalf("still running after %s, killed:\n%s", limit, p.res)
	}
	return p.res
}

// run runs anykey to the end with stdin as its input.
func (s *sandbox) run(stdin string, args ...string) result {
	s.t.Helper()
	return s.runWith(runOpts{}, stdin, args...)
}

func (s *sandbox) runWith(o runOpts, stdin string, args ...string) result {
	s.t.Helper()
	p := s.start(o, args...)
	go func() {
		io.WriteString(p.stdin, stdin)
		p.stdin.Close()
	}()
	return p.wait(s.t, 60*time.Second)
}

// pair runs `anykey pair NAME args...` and answers with the code the fake
// shows for the challenge it creates (approving it first on servers that
// ask). It returns the result and the code typed ("" if no challenge came).
func (s *sandbox) pair(fake *fakeanytype.Server, name string, args ...string) (result, string) {
	s.t.Helper()
	p := s.start(runOpts{}, append([]string{"pair", name}, args...)...)
	code := answer(s.t, fake, p, 20*time.Second)
	return p.wait(s.t, 60*time.Second), code
}

// answer waits for the next challenge on fake and writes its code to p's
// stdin, then closes stdin (EOF ends the flow if the code is refused). If p
// exits first, it gives up and returns "".
func answer(t *testing.T, fake *fakeanytype.Server, p *proc, limit time.Duration) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	go func() {
		select {
		case <-p.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	id, code, err := fake.WaitChallenge(ctx)
	if err != nil {
		p.stdin.Close()
		return ""
	}
	if code == "" { // a server that wants approval: approve as the user would
		code = fake.Approve(id)
	}
	io.WriteString(p.stdin, code+"\n")
	p.stdin.Close()
	return code
}

// secret reads name's secret from the real Secret Service ("" if none).
func secret(t *testing.T, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := desktoptest.SecretToolLookup(ctx, keystore.TestService, name)
	if errors.Is(err, desktoptest.ErrNoSecret) {
		return ""
	}
	if err != nil {
		t.Fatalf("secret-tool lookup %s: %v", name, err)
	}
	return v
}

// noDump is what a panic or a goroutine dump would print.
var noDump = regexp.MustCompile(`(?m)^(panic: |fatal error: |goroutine \d+ \[|runtime: |SIGQUIT|SIGSEGV)`)

// wantFailure checks a failed run: the exit status, no panic or dump, a
// stderr made only of "anykey: …" lines, and one of them matching msg.
func wantFailure(t *testing.T, r result, code int, msg string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d\n%s", r.code, code, r)
	}
	if noDump.MatchString(r.stderr) || noDump.MatchString(r.stdout) {
		t.Errorf("crash output:\n%s", r)
	}
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	matched := false
	re := regexp.MustCompile(msg)
	for _, l := range lines {
		if l == "" {
			continue
		}
		// The code prompt has no newline of its own, so a message may
		// follow it on the same line when stdin is not a terminal.
		if i := strings.Index(l, "anykey: "); i > 0 && strings.HasSuffix(strings.TrimSpace(l[:i]), ":") {
			l = l[i:]
		}
		if !strings.HasPrefix(l, "anykey: ") {
			t.Errorf("stderr line %q is not an \"anykey: …\" message\n%s", l, r)
			continue
		}
		if re.MatchString(l) {
			matched = true
		}
	}
	if !matched {
		t.Errorf("no stderr line matches %q\n%s", msg, r)
	}
}

// fileState is a file's bytes (or its absence) to compare before and after.
type fileState struct {
	exists bool
	data   []byte
	mtime  time.Time
}

func stat(t *testing.T, path string) fileState {
	t.Helper()
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return fileState{}
	}
	if err != nil {
		t.Fatal(err)
	}
	st := fileState{exists: true, mtime: fi.ModTime()}
	if fi.Mode().IsRegular() {
		if st.data, err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func sameFile(t *testing.T, path string, before fileState) {
	t.Helper()
	after := stat(t, path)
	if after.exists != before.exists || !bytes.Equal(after.data, before.data) || !after.mtime.Equal(before.mtime) {
		t.Errorf("%s changed: exists %v→%v, %d→%d bytes, mtime %v→%v", path,
			before.exists, after.exists, len(before.data), len(after.data), before.mtime, after.mtime)
	}
}

// noEntry checks keys.json does not list name (a missing file lists nothing).
func noEntry(t *testing.T, s *sandbox, name string) {
	t.Helper()
	data, err := os.ReadFile(s.index())
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(`"`+name+`"`)) {
		t.Errorf("keys.json lists %q after a failure:\n%s", name, data)
	}
}
