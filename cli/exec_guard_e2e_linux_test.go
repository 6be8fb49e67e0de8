package cli

import (
	"bufio"
	"context"
	"io"
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
	// start runs script under exec --mask; the script prints the pid of a
	// grandchild of anykey. It returns once that grandchild holds the key
	// in its environment, with anykey's pid, the grandchild's, the
	// command's stdin (closing it ends a script that reads it) and Wait.
	start := func(t *testing.T, script string) (anykey, grandchild int, stdin io.Closer, wait func()) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		t.Cleanup(cancel)
		cmd := e.command(ctx, "exec", "--mask", name, "--", "sh", "-c", script)
		out, _ := cmd.StdoutPipe()
		in, _ := cmd.StdinPipe()
		t.Cleanup(func() { in.Close() })
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			t.Fatalf("no pid from the command: %v", err)
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(line))
		t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
		// $! is printed as soon as sh has forked; the grandchild may still
		// be inside execve, where /proc/PID/environ reads empty (the new
		// memory map has no environment yet): wait until it has one.
		var env []byte
		for end := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			env, _ = os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
			if strings.Contains(string(env), key) || gone(pid) || time.Now().After(end) {
				break
			}
		}
		if !strings.Contains(string(env), key) {
			stat, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
			t.Fatalf("the grandchild did not get the key: the test would prove nothing (its /proc stat: %q)", stat)
		}
		return cmd.Process.Pid, pid, in, func() { cmd.Wait() }
	}

	t.Run("kill -9 of anykey", func(t *testing.T) {
		anykey, pid, _, wait := start(t, `sleep 300 & echo $!; wait`)
		syscall.Kill(anykey, syscall.SIGKILL)
		wait()
		desktoptest.WaitUntil(t, 5*time.Second, "the server, npx's grandchild, to end with anykey", func() bool { return gone(pid) })
	})
	t.Run("group made before the command", func(t *testing.T) {
		// The command joins a group its guard already leads: with the group
		// named to the guard only after Start, a kill -9 of anykey in
		// between left it unguarded (seen in CI under load).
		_, pid, _, _ := start(t, `sleep 300 & echo $!; wait`)
		pgid, err := syscall.Getpgid(pid)
		if err != nil {
			t.Fatal(err)
		}
		if pgid == pid {
			t.Fatalf("the server leads its own group %d", pgid)
		}
		leader, _ := os.ReadFile("/proc/" + strconv.Itoa(pgid) + "/cmdline")
		if !strings.Contains(string(leader), "anykey-guard") {
			t.Fatalf("the group %d is led by %q, not anykey's guard", pgid, leader)
		}
	})
	t.Run("left behind", func(t *testing.T) {
		// The command ends only when the test closes its stdin, after the
		// test has seen the key in what it leaves behind: ending at once,
		// anykey's guard could kill the process before the test looked.
		_, pid, stdin, wait := start(t, `sleep 300 </dev/null >/dev/null 2>&1 & echo $!; read -r _`)
		stdin.Close()
		wait()
		desktoptest.WaitUntil(t, 5*time.Second, "the process the command left behind to end", func() bool { return gone(pid) })
	})
}
