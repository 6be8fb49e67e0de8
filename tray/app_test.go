package tray

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// TestMain shortens the keys.json poll once, before any loop starts, so
// the loop tests can still run in parallel.
func TestMain(m *testing.M) {
	indexEvery = 50 * time.Millisecond
	os.Exit(m.Run())
}

// startLoop runs the app loop until the test ends.
func startLoop(t *testing.T, e *env) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.app.run(ctx, e.r) }()
	t.Cleanup(func() { cancel(); <-done; e.app.wait() })
}

func has(label string) func([]string) bool {
	return func(m []string) bool { return slices.Contains(m, label) }
}

func TestLoopShowsStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		cfg      fakeanytype.Config
		dead     bool
		want     string
		wantLook Look
	}{
		{"current server", fakeanytype.Config{}, false, "Anytype: connected (API 2025-11-08) [off]", LookIdle},
		{"older server", fakeanytype.Config{Version: "2025-05-20"}, false, "Anytype: connected (API 2025-05-20) [off]", LookIdle},
		{"nothing listening", fakeanytype.Config{}, true, "Anytype: not running [off]", LookUnreachable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var e *env
			if tc.dead {
				e = newEnv(t, tc.cfg, deadURL(t))
			} else {
				e = newEnv(t, tc.cfg)
			}
			startLoop(t, e)
			e.r.waitMenu(t, 5*time.Second, has(tc.want))
			e.r.mu.Lock()
			look := e.r.look
			e.r.mu.Unlock()
			if look != tc.wantLook {
				t.Errorf("look = %v, want %v", look, tc.wantLook)
			}
			if n := e.srv.Challenges(); n != 0 {
				t.Errorf("the status check created %d challenges", n)
			}
		})
	}
}

func TestLoopFallsBackToSecondURL(t *testing.T) {
	t.Parallel()
	srv := fakeanytype.Start(t, fakeanytype.Config{})
	e := newEnv(t, fakeanytype.Config{}, deadURL(t), srv.URL())
	startLoop(t, e)
	e.r.waitMenu(t, 5*time.Second, has("Anytype: connected (API 2025-11-08) [off]"))
	c := e.app.refreshStatus(t.Context())
	if c == nil || c.BaseURL() != srv.URL() {
		t.Errorf("answering client = %v, want %s", c, srv.URL())
	}
}

// indexStore is a Memory store whose writes touch a keys.json file, like
// the real keystore, so the watcher has something to see.
type indexStore struct {
	*keystore.Memory
	path string
}

func (s indexStore) touch() {
	os.WriteFile(s.path, []byte(time.Now().String()), 0o600)
}

func TestLoopSeesKeysFromTheCLI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	is := indexStore{Memory: e.store, path: filepath.Join(t.TempDir(), "keys.json")}
	e.app.d.IndexPath = is.path
	startLoop(t, e)
	e.r.waitMenu(t, 5*time.Second, has("Anytype: connected (API 2025-11-08) [off]"))

	// Another process adds a key: the menu lists it within 2 s.
	if err := e.store.Set(t.Context(), keystore.Entry{Name: "from-cli", APIURL: e.srv.URL()}, "cli-secret", false); err != nil {
		t.Fatal(err)
	}
	is.touch()
	e.r.waitMenu(t, 2*time.Second, has("from-cli"))

	// And removes it again.
	if err := e.store.Delete(t.Context(), "from-cli"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond) // a distinct mtime on coarse clocks
	is.touch()
	e.r.waitMenu(t, 2*time.Second, func(m []string) bool { return !slices.Contains(m, "from-cli") })
}

func TestLoopRebuildsAfterActions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	startLoop(t, e)
	e.r.waitMenu(t, 5*time.Second, has("Start at login [ ]"))
	e.app.Click(Action{Kind: ActAutostart})
	e.r.waitMenu(t, 2*time.Second, has("Start at login [x]"))

	// While pairing, the item is disabled and the icon says so.
	release := make(chan struct{})
	e.prompt.entries = []answerFunc{acceptDefault, func(ctx context.Context, d Dialog) (string, error) {
		<-release
		return "", ErrCanceled
	}}
	e.app.Click(Action{Kind: ActNewKey})
	e.r.waitMenu(t, 2*time.Second, has(`Pairing "anykey"… [off]`))
	e.r.mu.Lock()
	look := e.r.look
	e.r.mu.Unlock()
	if look != LookPairing {
		t.Errorf("look while pairing = %v", look)
	}
	close(release)
	e.r.waitMenu(t, 2*time.Second, has("New API key…"))
}

func TestQuit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	e.app.Click(Action{Kind: ActQuit})
	select {
	case <-e.r.quit:
	case <-time.After(time.Second):
		t.Fatal("Quit did not reach the renderer")
	}
}

func TestTrayHostMissingNotifiesOnce(t *testing.T) {
	t.Parallel()
	for _, host := range []bool{true, false} {
		e := newEnv(t, fakeanytype.Config{})
		e.app.d.HasTrayHost = func() bool { return host }
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); e.app.run(ctx, e.r) }()
		e.r.waitMenu(t, 5*time.Second, has("Anytype: connected (API 2025-11-08) [off]"))
		cancel()
		<-done
		e.app.wait()
		want := 0
		if !host {
			want = 1
		}
		got := 0
		for _, n := range e.notes.all() {
			if strings.Contains(n.Title, "no tray icons") && strings.Contains(n.Body, "AppIndicator") {
				got++
			}
		}
		if got != want {
			t.Errorf("host=%v: %d tray-host notifications, want %d", host, got, want)
		}
	}
}

func TestNewAppNeedsDeps(t *testing.T) {
	t.Parallel()
	if _, err := NewApp(Deps{}); err == nil {
		t.Error("NewApp accepted empty deps")
	}
}

func TestLock(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sub", "tray.lock")
	release, err := Lock(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(path); !errors.Is(err, ErrAlreadyRunning) {
		t.Errorf("second Lock: %v, want ErrAlreadyRunning", err)
	}
	release()
	again, err := Lock(path)
	if err != nil {
		t.Errorf("Lock after release: %v", err)
	} else {
		again()
	}
}

func TestLockPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", dir)
	if p, err := LockPath(); err != nil || p != filepath.Join(dir, "anykey-tray.lock") {
		t.Errorf("LockPath = %q, %v", p, err)
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv(keystore.EnvDir, "")    // a developer's own would outrank the rest
	t.Setenv("XDG_CONFIG_HOME", dir) // os.UserConfigDir on Linux and BSDs
	t.Setenv("APPDATA", dir)         // on Windows
	t.Setenv("HOME", dir)            // on macOS: ~/Library/Application Support
	if p, err := LockPath(); err != nil || !strings.HasPrefix(p, dir) {
		t.Errorf("LockPath without XDG_RUNTIME_DIR = %q, %v", p, err)
	}
}

// TestRebuildSkipsIdenticalMenu: a trigger that changes nothing visible
// (the tray's own keys.json write seen by the watcher, a status refresh
// with the same answer) must not re-render, and a real change must.
func TestRebuildSkipsIdenticalMenu(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	ctx := t.Context()
	rendered := func() int {
		e.r.mu.Lock()
		defer e.r.mu.Unlock()
		return e.r.n
	}
	e.app.rebuild(ctx)
	if n := rendered(); n != 1 {
		t.Fatalf("first build rendered %d times, want 1", n)
	}
	e.app.rebuild(ctx)
	e.app.rebuild(ctx)
	if n := rendered(); n != 1 {
		t.Errorf("identical rebuilds rendered %d times in all, want 1", n)
	}
	if err := e.auto.Enable(); err != nil { // the checkbox must follow
		t.Fatal(err)
	}
	e.app.rebuild(ctx)
	if n := rendered(); n != 2 {
		t.Errorf("a changed checkbox rendered %d times in all, want 2", n)
	}
}
