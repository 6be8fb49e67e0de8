package clip

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for anykey as the clearing helper,
// so the desktop tests exercise the real detached process.
func TestMain(m *testing.M) {
	if p := os.Getenv(envPauseBeforeClear); p != "" {
		// Widen the window between a clear's check and the clear, and
		// say when it is open (TestCopyDesktop).
		beforeClear = func() {
			_ = os.WriteFile(p, nil, 0o600)
			time.Sleep(2 * time.Second)
		}
	}
	if len(os.Args) >= 3 && os.Args[1] == HelperCommand {
		d, err := time.ParseDuration(os.Args[2])
		gen := ""
		if len(os.Args) > 3 {
			gen = os.Args[3]
		}
		if err == nil {
			err = RunHelper(os.Stdin, d, gen)
		}
		if err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	if len(os.Args) >= 3 && os.Args[1] == ServeCommand {
		d, err := time.ParseDuration(os.Args[2])
		gen := ""
		if len(os.Args) > 3 {
			gen = os.Args[3]
		}
		if err == nil {
			err = RunServer(os.Stdin, os.Stdout, d, gen)
		}
		if err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// envPauseBeforeClear names a file a server or helper of this test binary
// creates when it is between its check and its clear, where it then waits
// 2 s.
const envPauseBeforeClear = "ANYKEY_TEST_PAUSE_BEFORE_CLEAR"

// fakeBoard replaces the clipboard hooks; tests using it share package
// state and so do not run in parallel.
type fakeBoard struct {
	mu     sync.Mutex
	text   string
	writes []string
}

func useFake(t *testing.T, initial string) *fakeBoard {
	t.Helper()
	b := &fakeBoard{text: initial}
	oldW, oldR, oldU, oldE, oldS, oldC := writeAll, readAll, unsupported, executable, serveHook, servedSession
	serveHook = func(string, time.Duration, string) (bool, error) { return false, nil }
	servedSession = func() bool { return false }
	writeAll = func(s string) error {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.text = s
		b.writes = append(b.writes, s)
		return nil
	}
	readAll = func() (string, error) { b.mu.Lock(); defer b.mu.Unlock(); return b.text, nil }
	unsupported = func() bool { return false }
	executable = func() (string, error) { return "", errors.New("no helper in unit tests") }
	oldG, dir := genPath, t.TempDir()
	genPath = func() string { return filepath.Join(dir, genFileName) }
	t.Cleanup(func() {
		writeAll, readAll, unsupported, executable, genPath, serveHook, servedSession = oldW, oldR, oldU, oldE, oldG, oldS, oldC
	})
	return b
}

func TestRunHelper(t *testing.T) {
	tests := []struct {
		name      string
		secret    string
		board     string // clipboard content when the delay is over
		wantBoard string
	}{
		{"still holds the secret: cleared", "k3y", "k3y", ""},
		{"user copied something else: left alone", "k3y", "shopping list", "shopping list"},
		{"secret is a prefix of the clipboard: left alone", "k3y", "k3y and more", "k3y and more"},
		{"empty secret: nothing to clear", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := useFake(t, tt.board)
			if err := RunHelper(strings.NewReader(tt.secret), time.Millisecond, ""); err != nil {
				t.Fatal(err)
			}
			if b.text != tt.wantBoard {
				t.Errorf("clipboard = %q, want %q", b.text, tt.wantBoard)
			}
		})
	}
}

// TestHelperGetsAFingerprint: the clearing helper's stdin holds no byte of
// the key, and it still clears the key and nothing else; the key itself,
// as earlier builds sent it, still works.
func TestHelperGetsAFingerprint(t *testing.T) {
	const key = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI="
	fp := newFingerprint([]byte(key))
	in := fp.encode()
	if bytes.Contains(in, []byte(key)) || bytes.Contains(in, []byte(key[:8])) {
		t.Fatalf("the helper's input holds the key: %q", in)
	}
	for _, tc := range []struct {
		name, board, want string
		in                []byte
	}{
		{"fingerprint, key on the clipboard", key, "", in},
		{"fingerprint, the user's text", "shopping list", "shopping list", in},
		{"fingerprint, the key and more", key + " ", key + " ", in},
		{"another text's fingerprint", key, key, newFingerprint([]byte("other")).encode()},
		{"a cut fingerprint: no match", key, key, in[:len(in)-1]},
		{"the key itself (earlier builds)", key, "", []byte(key)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := useFake(t, tc.board)
			if err := RunHelper(bytes.NewReader(tc.in), 0, ""); err != nil {
				t.Fatal(err)
			}
			if b.text != tc.want {
				t.Errorf("clipboard = %q, want %q", b.text, tc.want)
			}
		})
	}
}

// TestNewestCopyDecides: a later copy, also one with no clear delay,
// cancels the clears still pending, whichever process made them.
func TestNewestCopyDecides(t *testing.T) {
	b := useFake(t, "")
	first := newGeneration()
	if first == "" {
		t.Fatal("no generation recorded")
	}
	if superseded(first) {
		t.Fatal("the newest copy counts as superseded")
	}
	if err := Copy("k3y", 0); err != nil { // a later copy, never cleared
		t.Fatal(err)
	}
	if !superseded(first) {
		t.Fatal("a later copy did not supersede the first")
	}
	if err := RunHelper(strings.NewReader("k3y"), time.Millisecond, first); err != nil {
		t.Fatal(err)
	}
	if b.text != "k3y" {
		t.Errorf("the superseded helper cleared the clipboard")
	}
	// The newest generation still clears.
	second := newGeneration()
	if err := RunHelper(strings.NewReader("k3y"), time.Millisecond, second); err != nil {
		t.Fatal(err)
	}
	if b.text != "" {
		t.Errorf("the newest helper did not clear: %q", b.text)
	}
	data, _ := os.ReadFile(genPath())
	if strings.Contains(string(data), "k3y") || len(data) != 16 {
		t.Errorf("generation file = %q, want 16 hex digits and no secret", data)
	}
	// No generation file: the helper clears as before (clipboard check only).
	os.Remove(genPath())
	b.text = "k3y"
	if err := RunHelper(strings.NewReader("k3y"), time.Millisecond, second); err != nil || b.text != "" {
		t.Errorf("without a generation file: %v, clipboard %q", err, b.text)
	}
}

// TestOlderClearDuringCopy: an older copy's clear that runs while a newer
// copy of the same key is being made (after its write, before its
// generation is recorded: a descheduled process) leaves the newer copy
// alone. Without the clipboard lock it sees its own generation and the
// same key, and clears.
func TestOlderClearDuringCopy(t *testing.T) {
	b := useFake(t, "k3y")
	older := newGeneration() // the earlier copy of the same key
	var helperErr error
	done := make(chan struct{})
	fake := writeAll
	started := false
	writeAll = func(s string) error {
		err := fake(s)
		if s == "k3y" && !started {
			started = true
			go func() { defer close(done); helperErr = RunHelper(strings.NewReader("k3y"), 0, older) }()
			select { // the older clear runs to its end, or waits for us
			case <-done:
			case <-time.After(300 * time.Millisecond):
			}
		}
		return err
	}
	if err := Copy("k3y", 0); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(genLockWait + 5*time.Second):
		t.Fatal("the older clear did not end")
	}
	if helperErr != nil {
		t.Fatal(helperErr)
	}
	if b.text != "k3y" {
		t.Errorf("the older copy's clear emptied the newer copy of the same key (writes %q)", b.writes)
	}
}

func TestCopy(t *testing.T) {
	t.Run("no tool", func(t *testing.T) {
		b := useFake(t, "before")
		unsupported = func() bool { return true }
		if err := Copy("k3y", time.Second); !errors.Is(err, ErrNoTool) {
			t.Fatalf("Copy = %v, want ErrNoTool", err)
		}
		if b.text != "before" {
			t.Errorf("clipboard changed to %q", b.text)
		}
	})
	t.Run("zero delay starts no helper", func(t *testing.T) {
		b := useFake(t, "")
		if err := Copy("k3y", 0); err != nil {
			t.Fatal(err)
		}
		if b.text != "k3y" {
			t.Errorf("clipboard = %q", b.text)
		}
	})
	t.Run("helper cannot start: the key is taken off again", func(t *testing.T) {
		b := useFake(t, "")
		err := Copy("k3y", time.Second)
		if err == nil || strings.Contains(err.Error(), "k3y") {
			t.Fatalf("Copy = %v, want an error without the key", err)
		}
		if b.text != "" || len(b.writes) != 2 {
			t.Errorf("clipboard = %q after writes %d, want it cleared", b.text, len(b.writes))
		}
	})
	t.Run("write fails", func(t *testing.T) {
		useFake(t, "")
		writeAll = func(string) error { return errors.New("exit status 1") }
		if err := Copy("k3y", time.Second); err == nil || strings.Contains(err.Error(), "k3y") {
			t.Fatalf("Copy = %v, want an error without the key", err)
		}
	})
}

func TestParseDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"45", 45 * time.Second, false},
		{" 10 ", 10 * time.Second, false},
		{"0", 0, false},
		{"2s", 2 * time.Second, false},
		{"1m30s", 90 * time.Second, false},
		{"1500ms", 1500 * time.Millisecond, false},
		{"-1", 0, true},
		{"-5s", 0, true},
		{"24h", 24 * time.Hour, false},
		{"86400", 24 * time.Hour, false},
		{"86401", 0, true},
		{"25h", 0, true},
		{"18446744074", 0, true},             // overflows int64 nanoseconds: was 290 ms
		{"99999999999999999999999", 0, true}, // overflows int64 itself
		{"9999999999h", 0, true},
		{"soon", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDuration(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseDuration(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestClearAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env     string
		want    time.Duration
		wantErr bool
	}{
		{"", DefaultClearAfter, false},
		{"5", 5 * time.Second, false},
		{"0", 0, false},
		{"3m", 3 * time.Minute, false},
		{"later", 0, true},
		{"18446744074", 0, true},
		{"48h", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Parallel()
			got, err := ClearAfter(func(k string) string {
				if k == EnvClearAfter {
					return tt.env
				}
				return ""
			})
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ClearAfter(%q) = %v, %v", tt.env, got, err)
			}
			if err != nil && !strings.Contains(err.Error(), EnvClearAfter) {
				t.Errorf("error %q does not name the variable", err)
			}
		})
	}
}

// TestParseDurationSays: the message says what is wrong: a misspelling is
// not called too long, and an overflow is not called a misspelling.
func TestParseDurationSays(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0.5": "not a number", "1e3": "not a number", "0x10": "not a number", `5\n`: "not a number",
		"5x": "not a number", "1..5s": "not a number", "h": "not a number", "soon": "not a number",
		"9999999999h": "longer than 24h", "99999999999999999999s": "longer than 24h",
		"99999999999999999999999": "longer than 24h", "25h": "longer than 24h", "-5s": "negative",
	} {
		_, err := ParseDuration(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDuration(%q) = %v, want %q", in, err, want)
		}
	}
}
