//go:build unix

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// guardScript reads a process group from its stdin, then waits for the end
// of that stdin, a pipe whose other end only anykey holds, and kills the
// group. The pipe ends when anykey ends, however it ends: an exit, a crash,
// kill -9. An end before any group was named kills nothing.
const guardScript = `read -r pg || exit 0; read -r _; [ -n "$pg" ] && kill -9 -"$pg" 2>/dev/null; exit 0`

// groupGuard is the process-group guard of exec --mask: a shell with no key
// in its environment, in a session of its own (a signal to anykey's group
// or terminal does not reach it), that kills the command's process group
// once anykey is gone. The parent-death signal stops only the command
// itself; npx runs anytype-mcp as `sh -c` and then node, its children in
// the same group, which would otherwise keep running with the key in their
// environment after a kill -9 of anykey.
//
// The guard starts before the command, so that between the command's start
// and the guard's watch there is one write, not a fork: with the guard
// started after, a kill -9 in that window left the group unguarded (seen
// under load in CI).
//
// Closing ends the guard's wait, so it kills what is left of the group:
// processes the command left behind when it ended, which hold the key too.
// A process that makes a process group or session of its own escapes the
// guard; npx, npm and node do not. Without /bin/sh, or if the pipe cannot
// be made, the command runs unguarded (the parent-death signal remains).
type groupGuard struct{ w *os.File }

// startGuard starts the guard; nil if it could not be started.
func startGuard() *groupGuard {
	r, w, err := os.Pipe()
	if err != nil {
		return nil
	}
	g := exec.Command(shellPath, "-c", guardScript, "anykey-guard")
	g.Stdin = r
	g.Env = []string{"PATH=/usr/bin:/bin"}
	g.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err = g.Start()
	r.Close()
	if err != nil {
		w.Close()
		return nil
	}
	go g.Wait() // reap it once it has done its work
	return &groupGuard{w: w}
}

// watch names m's process group to the guard, when m has a group of its
// own (an MCP client's pipes, no terminal).
func (g *groupGuard) watch(m *maskedChild) {
	if g == nil || g.w == nil || !m.group || m.cmd.Process == nil {
		return
	}
	fmt.Fprintf(g.w, "%d\n", m.cmd.Process.Pid)
}

// close lets the guard act: it kills the group named, or ends if none was.
func (g *groupGuard) close() {
	if g != nil && g.w != nil {
		g.w.Close()
		g.w = nil
	}
}
