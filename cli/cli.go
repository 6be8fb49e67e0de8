// Package cli is anykey's command line: it parses arguments, runs one
// command against the keystore, the Anytype client and the clipboard, and
// starts the tray. Main wires the real dependencies; tests run the same
// commands against keystore.Memory and a fake Anytype server.
package cli

// The CLI follows age's rules: data (a key, a table, JSON) goes to stdout
// and nothing else does; everything meant for a person goes to stderr as
// "anykey: …", with "anykey: hint: …" lines where a next step helps. Exit
// status is 0 on success, 1 on failure and 2 on a usage error.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/anykey-app/anykey/keystore"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// EnvAPIURL names the variable that overrides the default API URL.
const EnvAPIURL = "ANYKEY_API_URL"

// deps are everything a command touches outside the process, so tests run
// the real commands against keystore.Memory and a fake Anytype server.
type deps struct {
	openStore  func() (keystore.Store, error)
	newClient  func(baseURL, userAgent string) (*auth.Client, error)
	copy       func(secret string, clearAfter time.Duration) error
	isTerminal func(r io.Reader) bool
	// readHidden reads a line from the terminal r without echo; ctx or a
	// signal ends it with pairing.ErrCanceled.
	readHidden func(ctx context.Context, r io.Reader) (string, error)
	// hideInput turns the terminal r's echo off until restore, so that a
	// key typed or pasted ahead of the prompt is not shown; restore(true)
	// also discards input not read yet, so a key typed ahead of a failure
	// does not go to the shell. May be nil (no terminal to set up).
	hideInput func(r io.Reader) (restore func(discard bool))
	environ   func() []string
	now       func() time.Time
	tray      func(apiURL string, stderr io.Writer) int
	autostart autostarter
	// execve replaces the process with a command (Unix); nil runs the
	// command as a child instead (Windows, and in-process tests).
	execve func(path string, argv, env []string) error
	// defaultURLs are tried in order when no URL is configured: the first
	// one whose port does not refuse a connection wins.
	defaultURLs []string
	dialTimeout time.Duration
	version     string
	// sawFlags, when set (tests), is given each command's flag set once
	// its flags are defined (TestFlagsMatchDefinition).
	sawFlags func(*flag.FlagSet)
	// beforeExec runs just before exec starts the command: it gives the
	// child the core limit the user had (see internal/harden). May be nil.
	beforeExec func()
}

type autostarter interface {
	Enable() error
	Disable() error
	Enabled() (bool, error)
	Path() (string, error)
}

// cli is one run of the command line.
type cli struct {
	deps
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	apiURL string // --api-url, "" when not given
	cmd    string // the command being run, for usage errors
	// warnedScope is set once the scoped-key warning was shown.
	warnedScope bool
	// noticeShown is set once Anytype's Anytype-Notice was passed on.
	noticeShown bool
	st          keystore.Store
}

// run parses args (without the program name) and runs one command.
func run(ctx context.Context, d deps, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	c := &cli{deps: d, ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}

	if isCompletionRequest(args) {
		return c.complete(args)
	}
	// Global flags come before the command.
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		a := args[0]
		switch {
		case a == "-h" || a == "-help" || a == "--help":
			fmt.Fprint(stdout, usageText(commandTree()))
			return exitOK
		case a == "--version" || a == "-version":
			return c.cmdVersion(nil)
		case a == "--api-url" || a == "-api-url":
			if len(args) < 2 {
				return c.usageError("--api-url needs a URL")
			}
			c.apiURL, args = args[1], args[2:]
			continue
		case strings.HasPrefix(a, "--api-url=") || strings.HasPrefix(a, "-api-url="):
			c.apiURL = a[strings.Index(a, "=")+1:]
		default:
			return c.usageError(fmt.Sprintf("unknown flag %s", a))
		}
		args = args[1:]
	}
	if code, ok := c.checkAPIURL(); !ok {
		return code
	}
	if len(args) == 0 {
		return c.cmdTray(nil)
	}
	cmd, rest := args[0], args[1:]
	t := definition()
	def := lookupCommand(t.root, cmd)
	if def == nil {
		return c.unknownCommand(cmd)
	}
	c.cmd = def.Name()
	return t.run[def](c, rest)
}

// errUsage marks a parse failure that was already reported.
var errUsage = errors.New("usage")

// errHelp marks -h inside a command: usage went to stdout.
var errHelp = errors.New("help")

// flags parses a command's flags, which may come before or after its
// positional arguments ("pair work --force" and "pair --force work"). It
// returns the positional arguments, or errUsage/errHelp after reporting.
func (c *cli) flags(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.apiURL, "api-url", c.apiURL, "")
	if c.sawFlags != nil {
		c.sawFlags(fs)
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.commandHelp(fs.Name())
				return nil, errHelp
			}
			c.usageError(flagProblem(fs, err))
			return nil, errUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	if _, ok := c.checkAPIURL(); !ok {
		return nil, errUsage
	}
	switch {
	case len(pos) < minPos:
		c.usageError(fmt.Sprintf("%s: missing %s", fs.Name(), argNoun(minPos)))
		return nil, errUsage
	case len(pos) > maxPos:
		c.usageError(fmt.Sprintf("%s: unexpected argument %q", fs.Name(), pos[maxPos]))
		return nil, errUsage
	}
	return pos, nil
}

func argNoun(n int) string {
	if n == 1 {
		return "NAME"
	}
	return "arguments"
}

// parseExit maps a flags error to an exit status.
func parseExit(err error) int {
	if errors.Is(err, errHelp) {
		return exitOK
	}
	return exitUsage
}

func newFlags(name string) *flag.FlagSet { return flag.NewFlagSet(name, flag.ContinueOnError) }

// say prints a message for the user on stderr.
// say writes one "anykey: …" line to stderr. Its arguments may carry text
// from outside (a server, keys.json, another app's file, an error that
// quotes one): the whole line is cleaned of controls and bidi characters
// here, the one edge every message passes.
func (c *cli) say(format string, a ...any) {
	fmt.Fprintf(c.stderr, "anykey: %s\n", textsafe.Terminal(fmt.Sprintf(format, a...)))
}

// hint writes one "anykey: hint: …" line, cleaned like [cli.say].
func (c *cli) hint(format string, a ...any) {
	fmt.Fprintf(c.stderr, "anykey: hint: %s\n", textsafe.Terminal(fmt.Sprintf(format, a...)))
}

// store opens the key store once per run.
func (c *cli) store() (keystore.Store, error) {
	if c.st == nil {
		st, err := c.openStore()
		if err != nil {
			return nil, err
		}
		c.st = st
	}
	return c.st, nil
}
