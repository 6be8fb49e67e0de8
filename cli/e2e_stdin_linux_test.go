package cli

// What people pipe into add and pair by mistake: a stream that never ends
// (< /dev/zero), a whole file on one line, a line longer than any key.
// Each ends at once with one message and a hint, nothing saved, and the
// process never holds more than a little memory.

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// zeros is an endless stream of NUL bytes, like /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestE2EStdinWithoutEnd(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	cases := []struct {
		name  string
		args  []string
		stdin io.Reader
		want  string
	}{
		{"add-dev-zero", []string{"add", "--no-verify", e.name("zero")}, zeros{}, "stdin holds more than 64 KiB"},
		{"add-dev-zero-verify", []string{"add", e.name("zero2")}, zeros{}, "stdin holds more than 64 KiB"},
		{"pair-dev-zero", []string{"pair", e.name("zero3")}, zeros{}, "longer than 64 KiB"},
		{"add-60KiB-line", []string{"add", "--no-verify", e.name("big")}, strings.NewReader(strings.Repeat("A", 60<<10) + "\n"), "too long to be an Anytype key"},
		{"add-5000-verify", []string{"add", e.name("big2")}, strings.NewReader(strings.Repeat("A", 5000) + "\n"), "too long to be an Anytype key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := e.command(ctx, tc.args...)
			peak := peakRSS(t, cmd)
			// Through a pipe, as a shell gives it: exec.Cmd copies the
			// reader into one.
			cmd.Stdin = tc.stdin
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			start := time.Now()
			cmd.Run()
			took := time.Since(start)
			if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 1 {
				t.Fatalf("exit %v after %v: %q", cmd.ProcessState, took, errb.String())
			}
			if !strings.Contains(errb.String(), tc.want) || !strings.Contains(errb.String(), "anykey: hint: ") ||
				strings.Contains(errb.String(), "rejected") {
				t.Errorf("stderr %q, want %q and a hint", errb.String(), tc.want)
			}
			if took > 10*time.Second {
				t.Errorf("took %v", took)
			}
			if kib := peak(); kib > 200<<10 {
				t.Errorf("peak memory %d KiB", kib)
			}
		})
	}
	if r := e.run(nil, "list"); strings.Contains(r.stdout, e.prefix) {
		t.Errorf("something was saved: %q", r.stdout)
	}
	if n := len(e.srv.Keys()); n != 0 {
		t.Errorf("%d keys minted", n)
	}
}

// TestE2EPairNoInput: pair with a stdin that can never carry a code
// (/dev/null, a closed descriptor, an empty file, a pipe whose writer
// closed without writing) stops before it spends a challenge; a pipe
// whose writer is still there may yet carry the code, and pairs.
func TestE2EPairNoInput(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		shell string // how sh hands stdin to anykey
	}{
		{"dev-null", `exec "$0" pair "$1" </dev/null`},
		{"closed", `exec "$0" pair "$1" <&-`},
		{"empty-file", `exec "$0" pair "$1" <"$2"`},
		{"empty-pipe", `: | "$0" pair "$1"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := e.command(ctx, e.name(tc.name), empty)
			cmd.Args = append([]string{"sh", "-c", tc.shell, e.bin}, cmd.Args[1:]...)
			cmd.Path, _ = exec.LookPath("sh")
			r := runAnykey(t, cmd)
			if r.code != 1 || !strings.Contains(r.stderr, "stdin is at its end (or closed), so no code could be typed; nothing was asked of Anytype") ||
				!strings.Contains(r.stderr, "anykey: hint: run anykey pair") {
				t.Errorf("exit %d\n%s", r.code, r.stderr)
			}
		})
	}
	if n := e.srv.Challenges(); n != 0 {
		t.Errorf("%d challenges spent on a code nobody can type", n)
	}
	// The control: a pipe that carries the code once Anytype shows it.
	if r := e.pair([]string{rightCode}, "pair", e.name("piped")); r.code != 0 {
		t.Errorf("pair with a live pipe: exit %d\n%s", r.code, r.stderr)
	}
}

// TestE2EAddPipeInterrupted: Ctrl-C (SIGINT) while add waits on a pipe
// that has not ended says the wait was cancelled and nothing was saved;
// not "no key given", which sends the user to paste a key they did give.
func TestE2EAddPipeInterrupted(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := e.command(ctx, "add", "--no-verify", e.name("sigint"))
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.WriteString("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI=\n")
	cmd.Stdin = r
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	time.Sleep(500 * time.Millisecond) // reading stdin, which has not ended
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(errb.String(), "cancelled; nothing was saved") ||
		strings.Contains(errb.String(), "no key given") {
		t.Errorf("exit %d, stderr %q, want 1 and the wait cancelled", code, errb.String())
	}
}
