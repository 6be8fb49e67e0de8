package clip

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// On Linux the clipboard is written by an external tool. atotto/clipboard
// runs it with stderr discarded, so a dead DISPLAY or a missing Wayland
// compositor surfaces as a bare "exit status 1". writeTool runs the same
// tool, chosen the same way (wl-copy under Wayland, else xclip, else
// xsel), and keeps what the tool said.
//
// Both run with a deadline, [toolTimeout]: a clear reads and writes the
// clipboard under the clipboard lock (generation.go), and a reader waits
// for the clipboard's owner to hand the text over. An owner that stopped
// answering (a hung application, a SIGSTOPped wl-copy) would otherwise
// hold wl-paste, the clear and the lock for as long as it stays frozen,
// and every later copy would wait for the lock.
func init() { writeAll, readAll = writeTool, readTool }

// toolTimeout bounds one run of a clipboard tool: a read or a write is a
// round trip or two to the display server and the clipboard's owner.
const toolTimeout = 5 * time.Second

// readTool reads the clipboard with the tool atotto/clipboard would run
// (wl-paste under Wayland, else xclip, else xsel), within [toolTimeout].
func readTool() (string, error) {
	argv := pasteTool()
	if argv == nil {
		return "", ErrNoTool
	}
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	// wl-paste reads through a child of its own, which holds stdout too:
	// the deadline ends the whole process group.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return "", fmt.Errorf("%s: the clipboard's owner did not answer within %v", argv[0], toolTimeout)
	}
	if err != nil {
		return "", &ToolError{Tool: argv[0], Err: err}
	}
	return string(out), nil
}

// ToolError is a clipboard tool that failed: its name, the first line of
// what it printed on stderr, and how it ended.
type ToolError struct {
	Tool   string
	Stderr string
	Err    error
}

func (e *ToolError) Error() string {
	if e.Stderr == "" {
		return fmt.Sprintf("%s: %v", e.Tool, e.Err)
	}
	return fmt.Sprintf("%s: %s (%v)", e.Tool, e.Stderr, e.Err)
}

func (e *ToolError) Unwrap() error { return e.Err }

func writeTool(text string) error {
	argv := copyTool()
	if argv == nil {
		return ErrNoTool
	}
	// stderr goes to a file, not a pipe: xclip and wl-copy fork a child
	// that keeps serving the selection with stderr open, and Wait would
	// wait for that child on a pipe (golang/go#23019).
	errf, err := os.CreateTemp("", "anykey-clip-*.err")
	if err != nil {
		return err
	}
	defer os.Remove(errf.Name())
	defer errf.Close()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin = strings.NewReader(text)
	cmd.Stderr = errf
	runErr := cmd.Run()
	if runErr == nil {
		return nil
	}
	if ctx.Err() != nil {
		return &ToolError{Tool: argv[0], Err: fmt.Errorf("no answer within %v", toolTimeout)}
	}
	var msg string
	if _, err := errf.Seek(0, io.SeekStart); err == nil {
		b, _ := io.ReadAll(io.LimitReader(errf, 4096))
		line, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
		msg = strings.ReplaceAll(line, text, "[redacted]")
	}
	var ee *exec.ExitError
	if !errors.As(runErr, &ee) {
		return &ToolError{Tool: argv[0], Err: runErr}
	}
	return &ToolError{Tool: argv[0], Stderr: msg, Err: runErr}
}
