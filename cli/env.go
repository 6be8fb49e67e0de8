package cli

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/anykey-app/anykey/handoff"
)

func (c *cli) cmdEnv(args []string) int {
	fs := newFlags("env")
	shell := fs.String("shell", "sh", "")
	pos, err := c.flags(fs, args, 1, 1)
	if err != nil {
		return parseExit(err)
	}
	if _, err := handoff.Exports(*shell, nil); err != nil {
		return c.usageError(fmt.Sprintf("env: unknown shell %q (sh, fish or powershell)", *shell))
	}
	e, secret, err := c.secretFor(pos[0])
	if err != nil {
		return c.fail(err, where{name: pos[0]})
	}
	lines, err := handoff.Exports(*shell, handoff.Vars(secret, e.APIURL))
	if err != nil {
		return c.fail(err, where{name: pos[0]})
	}
	fmt.Fprint(c.stdout, lines)
	return exitOK
}

// cmdExec runs a command with the key in its environment only: never in
// its argv, which every user on the machine can read in /proc.
func (c *cli) cmdExec(args []string) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprint(c.stdout, usage)
		return exitOK
	}
	if len(args) > 0 && args[0] == "--mask" {
		return c.cmdExecMask(args[1:])
	}
	name, argv, ok := execArgs(args)
	if !ok {
		return c.usageError("exec: usage: anykey exec [--] NAME -- CMD [ARGS...]")
	}
	if len(argv) == 0 {
		return c.usageError("exec: missing CMD after NAME --")
	}
	e, secret, err := c.secretFor(name)
	if err != nil {
		return c.fail(err, where{name: name})
	}

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = withVars(c.environ(), handoff.Vars(secret, e.APIURL))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.stdin, c.stdout, c.stderr

	// Catch the signals before starting, so none is lost between Start and
	// Notify; the child gets each one and decides how to end.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if c.beforeExec != nil {
		c.beforeExec()
	}
	if err := cmd.Start(); err != nil {
		c.say("cannot run the command: %v", err)
		return exitFailure
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				_ = cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	return childStatus(err, c)
}

// execArgs splits exec's `[--] NAME [--] CMD [ARGS...]`. A name that
// starts with "-" must follow "--", so that an option is never taken for a
// name; ok is false without a name.
func execArgs(args []string) (name string, argv []string, ok bool) {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	} else if len(args) > 0 && strings.HasPrefix(args[0], "-") {
		return "", nil, false
	}
	if len(args) == 0 {
		return "", nil, false
	}
	name, argv = args[0], args[1:]
	if len(argv) > 0 && argv[0] == "--" {
		argv = argv[1:]
	}
	return name, argv, true
}

// childStatus maps the child's end to our exit status the way shells do.
func childStatus(err error, c *cli) int {
	if err == nil {
		return exitOK
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	c.say("running the command: %v", err)
	return exitFailure
}

// withVars returns environ with vars set, replacing earlier values.
func withVars(environ []string, vars []handoff.Var) []string {
	out := make([]string, 0, len(environ)+len(vars))
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		replaced := false
		for _, v := range vars {
			// Windows environment names are case-insensitive.
			if k == v.Name || (runtime.GOOS == "windows" && strings.EqualFold(k, v.Name)) {
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, kv)
		}
	}
	for _, v := range vars {
		out = append(out, v.Name+"="+v.Value)
	}
	return out
}
