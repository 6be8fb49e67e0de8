package cli

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// replaceProcess is nil on Windows, which has no execve: exec keeps the
// command as a child (runChild) and exits with its status.
var replaceProcess func(path string, argv, env []string) error

// shellScript is false on Windows, which starts no file without a known
// extension through a shell.
func shellScript(string, error) bool { return false }

// shellPath is unused on Windows (see shellScript).
const shellPath = ""

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

// guardChild puts the child in a job object that is killed when its last
// handle closes: if anykey is killed (Task Manager, a parent's
// TerminateProcess), Windows ends the child too, so nothing is left running
// with the key in its environment, as execve gives on Unix. Best effort: a
// failure (an older Windows that forbids nested jobs) leaves the child as
// it is. release closes the job handle once the child has exited.
func guardChild(p *os.Process) (release func()) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return func() {}
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{}
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return func() {}
	}
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(p.Pid))
	if err != nil {
		windows.CloseHandle(job)
		return func() {}
	}
	defer windows.CloseHandle(h)
	if err := windows.AssignProcessToJobObject(job, h); err != nil {
		windows.CloseHandle(job)
		return func() {}
	}
	return func() { windows.CloseHandle(job) }
}
