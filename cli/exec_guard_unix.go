//go:build unix

package cli

import (
	"os"
	"os/exec"
	"syscall"
)

// guardScript ignores the signals exec --mask passes on to the command's
// group (the guard is in that group), waits for the end of its stdin, a
// pipe whose other end only anykey holds, and then kills its own process
// group: the command and everything it started. The pipe ends when anykey
// ends, however it ends: an exit, a crash, kill -9.
const guardScript = `trap '' INT TERM HUP QUIT; read -r _; kill -9 0; exit 0`

// groupGuard is the process-group guard of exec --mask: a shell with no key
// in its environment that leads the process group the command then joins,
// and kills that group once anykey is gone. The parent-death signal stops
// only the command itself; npx runs anytype-mcp as `sh -c` and then node,
// its children in the same group, which would otherwise keep running with
// the key in their environment after a kill -9 of anykey.
//
// The guard makes the group before the command starts, so there is no
// moment when the command runs and the guard does not know its group. An
// earlier design told the guard the command's group after Start returned;
// a kill -9 of anykey in that window (a few instructions, but anykey's
// thread may wait for a CPU under load) left the group unguarded, seen in
// CI.
//
// Closing ends the guard's wait, so it kills what is left of the group:
// processes the command left behind when it ended, which hold the key too.
// A process that makes a process group or session of its own escapes the
// guard; npx, npm and node do not. Without /bin/sh, or if the pipe cannot
// be made, the command runs in a group of its own, unguarded (the
// parent-death signal remains).
type groupGuard struct {
	w   *os.File
	pid int // the guard's pid, the id of the group it leads
}

// startGuard starts the guard in a process group of its own (in anykey's
// session, which setpgid requires of the group the command joins; not in
// anykey's group, so a signal a client sends to anykey's group does not
// reach it); nil if it could not be started.
func startGuard() *groupGuard {
	r, w, err := os.Pipe()
	if err != nil {
		return nil
	}
	g := exec.Command(shellPath, "-c", guardScript, "anykey-guard")
	g.Stdin = r
	g.Env = []string{"PATH=/usr/bin:/bin"}
	g.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = g.Start()
	r.Close()
	if err != nil {
		w.Close()
		return nil
	}
	go g.Wait() // reap it once it has done its work
	return &groupGuard{w: w, pid: g.Process.Pid}
}

// group is the process group the command joins: the guard's, or 0 (a
// group of the command's own) without a guard.
func (g *groupGuard) group() int {
	if g == nil {
		return 0
	}
	return g.pid
}

// close lets the guard act: it kills its group, the command's.
func (g *groupGuard) close() {
	if g != nil && g.w != nil {
		g.w.Close()
		g.w = nil
	}
}
