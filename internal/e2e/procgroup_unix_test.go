//go:build unix

package e2e

import (
	"os/exec"
	"syscall"
)

// ownGroup makes cmd the leader of its own process group, so a timeout can
// stop anything it started.
func ownGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// killGroup kills the process group ownGroup made for cmd.
func killGroup(cmd *exec.Cmd) { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
