package clip

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// On Linux the clipboard is written by an external tool. atotto/clipboard
// runs it with stderr discarded, so a dead DISPLAY or a missing Wayland
// compositor surfaces as a bare "exit status 1". writeTool runs the same
// tool, chosen the same way (wl-copy under Wayland, else xclip, else
// xsel), and keeps what the tool said.
func init() { writeAll = writeTool }

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
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin = strings.NewReader(text)
	cmd.Stderr = errf
	runErr := cmd.Run()
	if runErr == nil {
		return nil
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
