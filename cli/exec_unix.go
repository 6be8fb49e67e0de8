//go:build unix

package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// replaceProcess is execve(2): the command takes over this process, its
// PID, terminal and signals. It returns only on failure.
func replaceProcess(path string, argv, env []string) error {
	return syscall.Exec(path, argv, env)
}

// ignoreGroupSignals keeps anykey alive through the signals a terminal
// sends to the whole foreground group, which the child gets too.
func ignoreGroupSignals() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGQUIT)
	return func() { signal.Stop(ch) }
}

// forwardSignals passes the signals sent to anykey alone (kill, a closed
// terminal) to the child, once each.
func forwardSignals(p *os.Process) (stop func()) {
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-ch:
				_ = p.Signal(s)
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}

// signalStatus is 128+N for a child killed by signal N, as shells report it.
func signalStatus(ee *exec.ExitError) (int, bool) {
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal()), true
	}
	return 0, false
}

// guardChild has nothing to do on Unix: the child only runs when execve is
// not used (in-process tests), and its parent is then the test.
func guardChild(*os.Process) (release func()) { return func() {} }

// shellScript reports whether err is execve's ENOEXEC for path and path is
// a text file: a script without a "#!" line, which execvp(3), env(1) and
// shells run with /bin/sh (POSIX, exec: "the shell ... shall be invoked").
// A binary for another machine gives ENOEXEC too; like bash, anykey looks
// for a NUL byte in the first line to tell it apart and then does not.
func shellScript(path string, err error) bool {
	if !errors.Is(err, syscall.ENOEXEC) {
		return false
	}
	f, ferr := os.Open(path)
	if ferr != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 80)
	n, _ := f.Read(head)
	head = head[:n]
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	return bytes.IndexByte(head, 0) < 0
}

// shellPath is the shell shellScript's scripts are run with.
const shellPath = "/bin/sh"
