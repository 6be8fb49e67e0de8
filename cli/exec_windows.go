package cli

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// replaceProcess is nil on Windows, which has no execve: exec keeps the
// command as a child (runChild) and exits with its status.
var replaceProcess func(path string, argv, env []string) error

// ignoreGroupSignals keeps anykey alive through console control events.
// Windows delivers Ctrl-C, Ctrl-Break and the close/logoff/shutdown events
// to every process attached to the console, the child included, so the
// child gets each one exactly once from the console; anykey must neither
// die of it (the child would lose its parent's wait) nor send it again.
// Go reports Ctrl-C and Ctrl-Break as os.Interrupt and the others as
// SIGTERM.
func ignoreGroupSignals() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	return func() { signal.Stop(ch) }
}

// forwardSignals has nothing to do on Windows: see ignoreGroupSignals.
func forwardSignals(*os.Process) (stop func()) { return func() {} }

// signalStatus: Windows processes end with an exit code only.
func signalStatus(*exec.ExitError) (int, bool) { return 0, false }
