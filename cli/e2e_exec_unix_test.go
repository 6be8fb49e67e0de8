//go:build unix

package cli

// The exec tests run the real binary in a pseudo-terminal, as a person
// does, because the bugs they guard against live between the terminal's
// line discipline, the process group and anykey: one Ctrl-C must reach the
// command once, Ctrl-\ must not make Go print a stack dump, and nothing
// holding the key may outlive the command.

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/creack/pty"
)

// countSigints prints "ready", then counts SIGINTs until a second has
// passed since the first one, prints "sigints=N" and exits 0.
const countSigints = `
import signal, sys, time
n = 0
first = None
def on_int(sig, frame):
    global n, first
    n += 1
    if first is None:
        first = time.monotonic()
signal.signal(signal.SIGINT, on_int)
print("ready", flush=True)
end = time.monotonic() + 20
while time.monotonic() < end and (first is None or time.monotonic() - first < 1.0):
    time.sleep(0.02)
print("sigints=%d" % n, flush=True)
`

// ptyRun is anykey running in a new pseudo-terminal, with what it printed.
type ptyRun struct {
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func startPTY(t *testing.T, e *e2e, args ...string) *ptyRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	cmd := e.command(ctx, args...)
	tty, err := pty.Start(cmd)
	if err != nil {
		t.Fatalf("starting anykey in a pty: %v", err)
	}
	p := &ptyRun{cmd: cmd, tty: tty, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { tty.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return p
}

func (p *ptyRun) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

func (p *ptyRun) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(p.output(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q from the command; the terminal shows:\n%s", s, p.output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wait waits for anykey to end and returns its exit status (-1 when killed
// by a signal, as os/exec reports it).
func (p *ptyRun) wait(t *testing.T) int {
	t.Helper()
	err := p.cmd.Wait()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatalf("waiting for anykey: %v", err)
	return 0
}

func TestE2EExecCtrlCOnce(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Fatal("python3 is needed (scripts/install-test-deps.sh installs it)")
	}
	t.Parallel()
	e, name, _ := savedKeyE2E(t)
	p := startPTY(t, e, "exec", name, "--", "python3", "-c", countSigints)
	p.waitFor(t, "ready")
	if _, err := p.tty.Write([]byte{0x03}); err != nil { // Ctrl-C, as typed
		t.Fatal(err)
	}
	p.waitFor(t, "sigints=")
	if code := p.wait(t); code != 0 {
		t.Errorf("exit %d, want the script's 0\n%s", code, p.output())
	}
	if !strings.Contains(p.output(), "sigints=1") {
		t.Errorf("one Ctrl-C should deliver SIGINT once:\n%s", p.output())
	}
}

func TestE2EExecCtrlBackslash(t *testing.T) {
	t.Parallel()
	e, name, key := savedKeyE2E(t)
	p := startPTY(t, e, "exec", name, "--", "sh", "-c", "echo ready; sleep 30; echo survived")
	p.waitFor(t, "ready")
	if _, err := p.tty.Write([]byte{0x1c}); err != nil { // Ctrl-\, as typed
		t.Fatal(err)
	}
	code := p.wait(t)
	out := p.output()
	if strings.Contains(out, "goroutine") || strings.Contains(out, "SIGQUIT: quit") {
		t.Errorf("Ctrl-\\ printed a Go stack dump:\n%s", out)
	}
	if strings.Contains(out, "survived") || code == 0 {
		t.Errorf("the command outlived Ctrl-\\ (exit %d):\n%s", code, out)
	}
	// Nothing may be left running with the key in its environment.
	time.Sleep(200 * time.Millisecond)
	if pids := holdersOf(key); len(pids) > 0 {
		t.Errorf("processes still hold the key in their environment: %v", pids)
	}
}

// holdersOf lists the processes whose environment holds secret.
func holdersOf(secret string) []string {
	var pids []string
	envs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, f := range envs {
		b, err := os.ReadFile(f)
		if err == nil && bytes.Contains(b, []byte(secret)) {
			pids = append(pids, filepath.Base(filepath.Dir(f)))
		}
	}
	return pids
}

func TestE2EExecStatus(t *testing.T) {
	t.Parallel()
	e, name, _ := savedKeyE2E(t)
	notExec := filepath.Join(t.TempDir(), "script.sh")
	if err := os.WriteFile(notExec, []byte("#!/bin/sh\necho hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badInterp := filepath.Join(t.TempDir(), "bad.sh")
	if err := os.WriteFile(badInterp, []byte("#!/nonexistent/interpreter\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		argv   []string
		code   int
		stderr string
	}{
		{"own status", []string{"sh", "-c", "exit 42"}, 42, ""},
		// anykey became the command, so it dies of the same signal; os/exec
		// reports that as -1 (a shell would print 143).
		{"killed by a signal", []string{"sh", "-c", "kill -TERM $$"}, -1, ""},
		{"not found", []string{"anykey-no-such-cmd"}, 127, "anykey: anykey-no-such-cmd: command not found\n"},
		{"no such path", []string{"/nonexistent/cmd"}, 127, "anykey: /nonexistent/cmd: command not found\n"},
		{"not executable", []string{notExec}, 126, "permission denied"},
		{"a directory", []string{t.TempDir()}, 126, "cannot run it"},
		{"missing interpreter", []string{badInterp}, 127, "cannot run it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.run(nil, append([]string{"exec", name, "--"}, tt.argv...)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\nstderr: %s", r.code, tt.code, r.stderr)
			}
			if tt.stderr != "" && (!strings.Contains(r.stderr, tt.stderr) || strings.Count(r.stderr, "\n") != 1) {
				t.Errorf("stderr = %q, want one line with %q", r.stderr, tt.stderr)
			}
		})
	}
}

// TestE2ETrayFromTerminal: the tray started by hand in a terminal says, in
// one line, that it runs and how to quit, and Ctrl-C there quits it.
func TestE2ETrayFromTerminal(t *testing.T) {
	desktoptest.Require(t, desktoptest.SessionBus, desktoptest.SecretService)
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	// A lock directory of its own: another test's tray must not make this
	// one "already running".
	e.extra = []string{"XDG_RUNTIME_DIR=" + t.TempDir()}
	p := startPTY(t, e, "tray")
	p.waitFor(t, "anykey: the tray is running")
	if !strings.Contains(p.output(), "Ctrl-C") {
		t.Errorf("no way to quit named:\n%s", p.output())
	}
	if _, err := p.tty.Write([]byte{0x03}); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t); code != 0 {
		t.Errorf("exit %d after Ctrl-C\n%s", code, p.output())
	}
}
