package cli

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/anykey-app/anykey/handoff"
)

// Exit statuses of exec when the command itself cannot be run, the ones
// POSIX shells and env(1) use.
const (
	exitCannotExec = 126 // found but not executable
	exitNotFound   = 127 // not found
)

// cmdExec runs a command with the key in its environment only: never in
// its argv, which every user on the machine can read in /proc.
//
// On Unix anykey replaces itself with the command (execve, as aws-vault
// does): the terminal's signals then reach the command once, from the
// terminal, nothing of anykey is left running, and the exit status is the
// command's own. Where that is not possible (Windows, and in-process tests)
// the command runs as a child; see runChild.
func (c *cli) cmdExec(args []string) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		c.commandHelp("exec")
		return exitOK
	}
	if len(args) > 0 && args[0] == "--mask" {
		return c.cmdExecMask(args[1:])
	}
	argv, env, _, code := c.execPrepare(args, "")
	if code != exitOK {
		return code
	}

	path, code := c.lookCommand(argv[0], env)
	if code != 0 {
		return code
	}
	if c.beforeExec != nil {
		c.beforeExec() // the command gets the user's core limit back
	}
	if c.execve != nil {
		err := c.execve(path, argv, env)
		if shellScript(path, err) {
			err = c.execve(shellPath, scriptArgv(path, argv), env)
		}
		// execve returns only on failure.
		return c.execFailed(argv[0], err)
	}
	return c.runChild(path, argv, env)
}

// execPrepare parses exec's `[--] NAME -- CMD [ARGS...]` (after --mask
// when mode is "--mask "), reads the key, checks that its API port may get
// it, warns about a scoped key, and returns the command, its environment
// with the variables set, and the key; code is not exitOK when it already
// reported why not.
func (c *cli) execPrepare(args []string, mode string) (argv, env []string, secret string, code int) {
	name, argv, ok := execArgs(args)
	if !ok {
		return nil, nil, "", c.usageError("exec: usage: anykey exec " + mode + "[--] NAME -- CMD [ARGS...]")
	}
	if len(argv) == 0 {
		return nil, nil, "", c.usageError("exec: missing CMD after NAME --")
	}
	e, secret, err := c.secretFor(name)
	if err != nil {
		return nil, nil, "", c.fail(err, where{name: name})
	}
	if code := c.checkHandOff(e); code != exitOK {
		return nil, nil, "", code
	}
	c.warnScoped(e)
	return argv, withVars(c.environ(), handoff.Vars(secret, c.urlFor(e))), secret, exitOK
}

// lookCommand finds argv0 the way a shell does, in the PATH of the
// command's environment. On failure it reports one line and returns 127
// (not found) or 126 (not executable).
func (c *cli) lookCommand(argv0 string, env []string) (string, int) {
	path, err := lookPath(argv0, env)
	switch {
	case err == nil, errors.Is(err, exec.ErrDot):
		// A PATH that names "." is the user's choice; shells honour it.
		return path, 0
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist):
		c.say("%s: command not found", argv0)
		return "", exitNotFound
	default:
		return "", c.execFailed(argv0, err)
	}
}

// lookPath is exec.LookPath with the PATH of env rather than our own.
func lookPath(file string, env []string) (string, error) {
	if strings.ContainsRune(file, filepath.Separator) || strings.ContainsRune(file, '/') {
		return exec.LookPath(file)
	}
	for _, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); strings.EqualFold(k, "PATH") {
			old, had := os.LookupEnv("PATH")
			// exec.LookPath reads the PATH of this process; the child's is
			// the same list (withVars never changes PATH), so this only
			// matters for tests that hand in their own environment.
			if had && old == v {
				return exec.LookPath(file)
			}
			return lookIn(file, v)
		}
	}
	return exec.LookPath(file)
}

// lookIn searches the directories of pathList for file.
func lookIn(file, pathList string) (string, error) {
	var firstErr error
	for _, dir := range filepath.SplitList(pathList) {
		if dir == "" {
			dir = "." // an empty PATH entry is the current directory
		}
		// Not filepath.Join: "./x" must keep its separator, or LookPath
		// would search PATH for it.
		p, err := exec.LookPath(dir + string(filepath.Separator) + file)
		if err == nil {
			return p, nil
		}
		if firstErr == nil && !errors.Is(err, fs.ErrNotExist) {
			firstErr = err
		}
	}
	if firstErr != nil {
		return "", firstErr
	}
	return "", &exec.Error{Name: file, Err: exec.ErrNotFound}
}

// execFailed reports a command that could not be started in one line and
// returns the shell's status for it: 127 when something it needs is not
// there (a script's interpreter), else 126.
func (c *cli) execFailed(argv0 string, err error) int {
	var errno syscall.Errno
	if errors.As(err, &errno) && errno == syscall.ENOENT || errors.Is(err, fs.ErrNotExist) {
		c.say("%s: cannot run it: %v", argv0, rootCause(err))
		return exitNotFound
	}
	c.say("%s: cannot run it: %v", argv0, rootCause(err))
	return exitCannotExec
}

// scriptArgv runs the script at path with the shell: "sh PATH ARGS...", so
// the script's $0 is its path, as execvp(3) does.
func scriptArgv(path string, argv []string) []string {
	return append([]string{"sh", path}, argv[1:]...)
}

// rootCause strips the wrappers that repeat the command's name.
func rootCause(err error) error {
	for {
		var pe *fs.PathError
		var ee *exec.Error
		switch {
		case errors.As(err, &pe):
			return pe.Err
		case errors.As(err, &ee):
			err = ee.Err
		default:
			return err
		}
	}
}

// runChild runs the command as a child with our standard streams, waits for
// it and returns its status the way shells do (128+N for signal N). The
// signals a terminal sends to its whole foreground group (Ctrl-C, Ctrl-\;
// on Windows every console control event) reach the child from the terminal
// itself, so anykey only outlives them and never sends a second copy;
// signals aimed at anykey alone are passed on (forwardSignals).
func (c *cli) runChild(path string, argv, env []string) int {
	cmd := &exec.Cmd{Path: path, Args: argv, Env: env, Stdin: c.stdin, Stdout: c.stdout, Stderr: c.stderr}
	stop := ignoreGroupSignals()
	defer stop()
	err := cmd.Start()
	if shellScript(path, err) {
		cmd = &exec.Cmd{Path: shellPath, Args: scriptArgv(path, argv), Env: env, Stdin: c.stdin, Stdout: c.stdout, Stderr: c.stderr}
		err = cmd.Start()
	}
	if err != nil {
		return c.execFailed(argv[0], err)
	}
	release := guardChild(cmd.Process)
	stopFwd := forwardSignals(cmd.Process)
	err = cmd.Wait()
	stopFwd()
	release()
	if err == nil {
		return exitOK
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if st, ok := signalStatus(ee); ok {
			return st
		}
		return ee.ExitCode()
	}
	c.say("running %s: %v", argv[0], err)
	return exitFailure
}
