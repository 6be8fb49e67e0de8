package cli

import (
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"syscall"

	"github.com/anykey-app/anykey/handoff"
)

func (c *cli) cmdEnv(args []string) int {
	fs := newFlags("env")
	shell := fs.String("shell", "", "")
	pos, err := c.flags(fs, args, 1, 1)
	if err != nil {
		return parseExit(err)
	}
	if *shell == "" {
		*shell = defaultShell(runtime.GOOS, c.getenv)
	}
	if _, err := handoff.Exports(*shell, nil); err != nil {
		return c.usageError(fmt.Sprintf("env: unknown shell %q (sh, fish or powershell)", *shell))
	}
	e, secret, err := c.secretFor(pos[0])
	if err != nil {
		return c.fail(err, where{name: pos[0]})
	}
	if code := c.checkHandOff(e); code != exitOK {
		return code
	}
	c.warnScoped(e)
	lines, err := handoff.Exports(*shell, handoff.Vars(secret, c.urlFor(e)))
	if err != nil {
		return c.fail(err, where{name: pos[0]})
	}
	fmt.Fprint(c.stdout, lines)
	return exitOK
}

// defaultShell is the shell env writes for without --shell: sh, except on
// Windows, where the shell a user types into is PowerShell (Windows
// Terminal's and Explorer's default) — unless SHELL is set, which only a
// POSIX shell on Windows does (Git Bash, MSYS2, Cygwin), so that
// `eval "$(anykey env NAME)"` works there as documented. cmd.exe is not
// offered: its `set` cannot carry every character of a value safely.
func defaultShell(goos string, getenv func(string) string) string {
	if goos == "windows" && getenv("SHELL") == "" {
		return "powershell"
	}
	return "sh"
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
