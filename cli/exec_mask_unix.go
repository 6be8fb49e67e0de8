//go:build unix

package cli

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// forwardedSignals are the signals exec --mask passes on to its command.
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// ignorePipe makes a write to a closed stderr fail with EPIPE instead of
// killing anykey: a Go program that does not ask for SIGPIPE dies of it on
// fd 1 and 2 (os/signal, "SIGPIPE"). Notify, unlike signal.Ignore, is not
// inherited by the command across execve, which keeps its own default.
func ignorePipe() {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
}

// maskedChild is the command of exec --mask and how it gets signals.
type maskedChild struct {
	cmd *exec.Cmd
	// group: the command is in a process group of its own (led by the
	// guard when there is one), and a signal goes to that group (npx and
	// the server it starts). pgid is that group's id, 0 until Start when
	// the command leads it.
	group bool
	pgid  int
}

// newMaskedChild sets up cmd's process attributes. With no terminal (an MCP
// client's pipes) the command gets a process group of its own, so a signal
// sent to anykey's group reaches it once, through anykey. On a terminal it
// stays in the terminal's foreground group, where Ctrl-C already reaches
// it: there only signals that are not the terminal's are passed on. pgid
// is the group to join (the guard's), or 0 for one the command leads.
func newMaskedChild(cmd *exec.Cmd, tty bool, pgid int) *maskedChild {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: !tty, Pgid: pgid}
	setParentDeathSignal(cmd.SysProcAttr)
	return &maskedChild{cmd: cmd, group: !tty, pgid: pgid}
}

func (m *maskedChild) signal(s os.Signal) {
	sig, ok := s.(syscall.Signal)
	if !ok || m.cmd.Process == nil {
		return
	}
	if !m.group {
		if sig == syscall.SIGINT || sig == syscall.SIGQUIT {
			return // the terminal sent it to the child as well
		}
		_ = m.cmd.Process.Signal(sig)
		return
	}
	pgid := m.pgid
	if pgid == 0 {
		pgid = m.cmd.Process.Pid
	}
	_ = syscall.Kill(-pgid, sig)
}
