package cli

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"time"

	"github.com/anykey-app/anykey/handoff/mask"
)

// stderrDrain is how long exec --mask waits, once the command has ended,
// for the rest of its stderr: a process it started may keep the pipe open.
const stderrDrain = 2 * time.Second

// cmdExecMask is `exec --mask NAME -- CMD [ARGS...]`: CMD runs as anykey's
// child, not in its place, so that anykey can replace the key in what CMD
// prints on stderr (MCP clients keep a server's stderr in their log files,
// and anytype-mcp prints a failed request with its Authorization header).
// stdin and stdout are CMD's own file descriptors, untouched: stdout is an
// MCP server's JSON-RPC channel and stays byte-exact.
//
// The child gets the signals anykey gets, once; it is killed when anykey
// dies (Linux: parent-death signal), and anykey exits with its status.
func (c *cli) cmdExecMask(args []string) int {
	argv, env, secret, code := c.execPrepare(args, "--mask ")
	if code != exitOK {
		return code
	}
	// An MCP client may close the server's stderr (or stop reading it) and
	// keep talking JSON-RPC on stdin/stdout. anykey must neither die of
	// SIGPIPE nor stop draining the command's stderr (the command would
	// block once the pipe is full): see discardAfterError and ignorePipe.
	ignorePipe()
	mw := mask.NewWriter(&discardAfterError{w: c.stderr}, secret)
	tty := c.isTerminal(c.stdin)
	// The command's whole process group ends with anykey (Unix, when it
	// has a group of its own, i.e. no terminal): the guard leads the group
	// before the command starts and joins it.
	var guard *groupGuard
	if !tty {
		guard = startGuard()
	}
	defer guard.close()
	newCmd := func(argv []string) (*exec.Cmd, *maskedChild) {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = env
		cmd.Stdin, cmd.Stdout, cmd.Stderr = c.stdin, c.stdout, mw
		cmd.WaitDelay = stderrDrain
		return cmd, newMaskedChild(cmd, tty, guard.group())
	}
	cmd, child := newCmd(argv)

	// Catch the signals before starting, so none is lost between Start and
	// Notify, and so none kills anykey before it has passed it on.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)

	// The parent-death signal is tied to the thread that started the
	// child, not the process (golang/go#27505): keep this goroutine on
	// that thread until the child has ended.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if c.beforeExec != nil {
		c.beforeExec() // the child gets the user's core limit back
	}
	if err := cmd.Start(); err != nil {
		if !shellScript(cmd.Path, err) {
			return c.startFailed(argv[0], err)
		}
		cmd, child = newCmd(append([]string{shellPath}, scriptArgv(cmd.Path, argv)[1:]...))
		if err := cmd.Start(); err != nil {
			return c.startFailed(argv[0], err)
		}
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				child.signal(s)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	mw.Close()
	if errors.Is(err, exec.ErrWaitDelay) {
		err = nil // the command ended; a process it left holds stderr
	}
	return childStatus(err, c)
}

// discardAfterError passes writes on to w until one fails (the reader
// closed the pipe); from then on it discards them and reports success, so
// the copy from the command's stderr keeps draining it. Used under the
// masking Writer, which serialises calls.
type discardAfterError struct {
	w      io.Writer
	failed bool
}

func (d *discardAfterError) Write(p []byte) (int, error) {
	if !d.failed {
		if _, err := d.w.Write(p); err != nil {
			d.failed = true
		}
	}
	return len(p), nil
}

// startFailed reports a command that could not be started with the exit
// statuses of env(1) and shells: 127 not found, 126 found but not runnable.
func (c *cli) startFailed(name string, err error) int {
	switch {
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist):
		c.say("%s: command not found", name)
		return 127
	default:
		c.say("%s: cannot run it: %v", name, rootCause(err))
		return 126
	}
}
