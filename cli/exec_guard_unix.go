//go:build unix

package cli

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// guardScript waits for the end of its stdin, a pipe whose other end only
// anykey holds, then kills process group $1. The pipe ends when anykey
// ends, however it ends: an exit, a crash, kill -9.
const guardScript = `read -r _; kill -9 -"$1" 2>/dev/null; exit 0`

// guardGroup starts the process-group guard of exec --mask: a shell with no
// key in its environment, in a session of its own (a signal to anykey's
// group or terminal does not reach it), that kills the command's process
// group once anykey is gone. The parent-death signal stops only the
// command itself; npx runs anytype-mcp as `sh -c` and then node, its
// children in the same group, which would otherwise keep running with the
// key in their environment after a kill -9 of anykey.
//
// stop ends the guard's wait, so it kills what is left of the group:
// processes the command left behind when it ended, which hold the key too.
// A process that makes a process group or session of its own escapes the
// guard; npx, npm and node do not. Without /bin/sh, or if the pipe cannot
// be made, the command runs unguarded (the parent-death signal remains).
func (m *maskedChild) guardGroup() (stop func()) {
	if !m.group || m.cmd.Process == nil {
		return func() {}
	}
	r, w, err := os.Pipe()
	if err != nil {
		return func() {}
	}
	g := exec.Command(shellPath, "-c", guardScript, "anykey-guard", strconv.Itoa(m.cmd.Process.Pid))
	g.Stdin = r
	g.Env = []string{"PATH=/usr/bin:/bin"}
	g.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err = g.Start()
	r.Close()
	if err != nil {
		w.Close()
		return func() {}
	}
	go g.Wait() // reap it once it has done its work
	return func() { w.Close() }
}
