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

// gone reports whether pid has ended (or is a zombie waiting to be reaped).
func gone(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	return err != nil || strings.Contains(string(b), ") Z ")
}

// TestE2EExecMaskNoTreeOutlivesAnykey: what npx does — a shell that starts
// the real server as its child — run under exec --mask with an MCP
// client's pipes. After kill -9 of anykey, and after the command ends
// leaving a process behind, no process of the command's tree keeps running
// with the key in its environment.
func TestE2EExecMaskNoTreeOutlivesAnykey(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	name := e.name("tree")
	if r := e.pair([]string{rightCode}, "pair", name); r.code != 0 {
		t.Fatalf("pair: %+v", r)
	}
	key := strings.TrimSpace(e.run(nil, "get", name).stdout)
	start := func(script string) (anykey int, grandchild int, wait func()) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		t.Cleanup(cancel)
		cmd := e.command(ctx, "exec", "--mask", name, "--", "sh", "-c", script)
		out, _ := cmd.StdoutPipe()
		stdin, _ := cmd.StdinPipe()
		t.Cleanup(func() { stdin.Close() })
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			t.Fatalf("no pid from the command: %v", err)
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(line))
		t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
		env, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
		if !strings.Contains(string(env), key) {
			t.Fatal("the grandchild did not get the key: the test would prove nothing")
		}
		return cmd.Process.Pid, pid, func() { cmd.Wait() }
	}

	t.Run("kill -9 of anykey", func(t *testing.T) {
		anykey, pid, wait := start(`sleep 300 & echo $!; wait`)
		syscall.Kill(anykey, syscall.SIGKILL)
		wait()
		desktoptest.WaitUntil(t, 5*time.Second, "the server, npx's grandchild, to end with anykey", func() bool { return gone(pid) })
	})
	t.Run("left behind", func(t *testing.T) {
		_, pid, wait := start(`sleep 300 </dev/null >/dev/null 2>&1 & echo $!`)
		wait()
		desktoptest.WaitUntil(t, 5*time.Second, "the process the command left behind to end", func() bool { return gone(pid) })
	})
}
