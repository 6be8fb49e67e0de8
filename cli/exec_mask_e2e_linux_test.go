package cli

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// trapScript prints its pid, then counts SIGTERMs on stderr and exits 7 on
// the first one after a short wait (so a second delivery would be seen).
const trapScript = `trap 'echo got-term >&2; sleep 0.3; exit 7' TERM; echo $$; while :; do sleep 0.05; done`

// startMasked starts `anykey exec --mask NAME -- sh -c trapScript` with
// pipes, as an MCP client does, and returns the shell's pid.
func startMasked(t *testing.T, e *e2e, name string, ownGroup bool) (*strings.Builder, func() (int, error), int, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	cmd := e.command(ctx, "exec", "--mask", name, "--", "sh", "-c", trapScript)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: ownGroup}
	out, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, _ := cmd.StdinPipe()
	t.Cleanup(func() { stdin.Close() })
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("no pid from the child: %v; stderr: %s", err, stderr.String())
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(line))
	wait := func() (int, error) {
		err := cmd.Wait()
		return cmd.ProcessState.ExitCode(), err
	}
	return &stderr, wait, cmd.Process.Pid, pid
}

func TestE2EExecMaskSignals(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	name := e.name("sig")
	if r := e.pair([]string{rightCode}, "pair", name); r.code != 0 {
		t.Fatalf("pair: %+v", r)
	}

	t.Run("term-once-and-status", func(t *testing.T) {
		stderr, wait, anykey, _ := startMasked(t, e, name, false)
		syscall.Kill(anykey, syscall.SIGTERM)
		code, _ := wait()
		if code != 7 {
			t.Errorf("exit status %d, want the command's 7; stderr: %s", code, stderr.String())
		}
		if n := strings.Count(stderr.String(), "got-term"); n != 1 {
			t.Errorf("the command got SIGTERM %d times, want once", n)
		}
	})

	t.Run("group-signal-once", func(t *testing.T) {
		// A client that signals anykey's whole process group: the command
		// has a group of its own and still gets it once, through anykey.
		stderr, wait, anykey, _ := startMasked(t, e, name, true)
		syscall.Kill(-anykey, syscall.SIGTERM)
		wait()
		if n := strings.Count(stderr.String(), "got-term"); n != 1 {
			t.Errorf("the command got SIGTERM %d times, want once", n)
		}
	})

	t.Run("parent-death", func(t *testing.T) {
		_, wait, anykey, child := startMasked(t, e, name, false)
		syscall.Kill(anykey, syscall.SIGKILL)
		wait()
		desktoptest.WaitUntil(t, 5*time.Second, "the command to end with anykey", func() bool {
			// Gone, or a zombie waiting for init to reap it.
			b, err := os.ReadFile("/proc/" + strconv.Itoa(child) + "/stat")
			return err != nil || strings.Contains(string(b), ") Z ")
		})
	})

	t.Run("not-found", func(t *testing.T) {
		r := e.run(nil, "exec", "--mask", name, "--", "no-such-command-anykey")
		if r.code != 127 || !strings.Contains(r.stderr, "not found") {
			t.Errorf("got %+v, want 127 and a message", r)
		}
	})
}
