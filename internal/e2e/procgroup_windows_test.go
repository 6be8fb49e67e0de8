package e2e

import (
	"os/exec"
	"syscall"
)

// ownGroup starts cmd in a new console process group (Windows has no
// process groups in the Unix sense; this keeps a console event meant for
// it away from the test binary).
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// killGroup kills cmd's process; what it started is left to the job's end.
func killGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
