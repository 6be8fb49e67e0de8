package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/keystore"
	"github.com/anykey-app/anykey/pairing"
)

const codePrompt = "Type the 4-digit code Anytype shows: "

// interruptible returns a context cancelled by Ctrl-C or SIGTERM, for
// commands that wait on a person.
func (c *cli) interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(c.ctx, syscall.SIGINT, syscall.SIGTERM)
}

// newKeyName parses the flags and the one NAME of pair and add, and checks
// the name before anything is asked of Anytype or the user. When ok is
// false, code is the exit status.
func (c *cli) newKeyName(fs *flag.FlagSet, args []string) (name string, code int, ok bool) {
	pos, err := c.flags(fs, args, 1, 1)
	if err != nil {
		return "", parseExit(err), false
	}
	if err := keystore.ValidateNewName(pos[0]); err != nil {
		return "", c.fail(err, where{name: pos[0]}), false
	}
	return keystore.NormalizeName(pos[0]), 0, true
}

func (c *cli) cmdPair(args []string) int {
	fs := newFlags("pair")
	force := fs.Bool("force", false, "")
	name, code, ok := c.newKeyName(fs, args)
	if !ok {
		return code
	}
	w := where{name: name}
	base, err := c.resolveURL()
	if err != nil {
		return c.fail(err, w)
	}
	w.url = base
	cl, err := c.client(base)
	if err != nil {
		return c.fail(err, w)
	}
	st, err := c.store()
	if err != nil {
		return c.fail(err, w)
	}

	ctx, stop := c.interruptible()
	defer stop()
	f := c.pairFlow(name, cl, st)
	e, _, err := f.Pair(ctx, name, *force)
	if err != nil {
		return c.fail(err, w)
	}
	c.say("saved key %q for %s", e.Name, e.APIURL)
	c.warnScoped(e)
	c.hint("anykey get %s prints it; anykey mcp %s prints an MCP config", quoteArg(e.Name), quoteArg(e.Name))
	return exitOK
}

// pairFlow is the pairing flow of pair and rotate: the code read from
// stdin (a prompt on a terminal), no challenge when stdin can never carry
// one.
func (c *cli) pairFlow(name string, cl *auth.Client, st keystore.Store) *pairing.Flow {
	lines := newLineReader(c.stdin)
	tty := c.isTerminal(c.stdin)
	return &pairing.Flow{
		Client: cl,
		Store:  st,
		Answerable: func() error {
			if !tty && lines.ended() {
				return errNoInput
			}
			return nil
		},
		Started: func(*auth.Challenge) {
			c.say("look at Anytype: it shows a 4-digit code for %q (newer versions ask you to approve the request there first)", name)
		},
		Prompt: func(ctx context.Context, r pairing.Request) (string, error) {
			switch r.Retry {
			case "":
			case pairing.RetryInvalid, pairing.RetryEmpty:
				c.say("%s", r.Retry)
			default:
				c.say("%s — try %d of %d", r.Retry, r.Try, r.MaxTries)
			}
			if tty {
				fmt.Fprint(c.stderr, codePrompt)
			}
			s, err := lines.read(ctx)
			if tty && err != nil {
				// Ctrl-D and Ctrl-C echo no newline: what follows starts
				// its own line, not after the prompt (as readKey does).
				fmt.Fprintln(c.stderr)
			}
			return s, err
		},
	}
}

// lineReader reads one line at a time from stdin without blocking a
// cancelled context: the read runs in a goroutine that may outlive it.
type lineReader struct {
	src     io.Reader
	r       *bufio.Reader
	tooLong bool // a line passed maxLineLen: stdin is not read again
}

// maxLineLen caps one line of stdin, in bytes: a code or a key is far
// shorter, and stdin may be a stream that never ends (< /dev/zero).
const maxLineLen = 64 << 10

// errLineTooLong: a line of stdin passed maxLineLen.
var errLineTooLong = errors.New("a line on stdin is longer than 64 KiB, so it is not a code or a key")

// readLine is bufio's ReadString('\n') with the maxLineLen cap.
func (l *lineReader) readLine() (string, error) {
	var buf []byte
	for {
		frag, err := l.r.ReadSlice('\n')
		buf = append(buf, frag...)
		if len(buf) > maxLineLen {
			return "", errLineTooLong
		}
		if err != bufio.ErrBufferFull {
			return string(buf), err
		}
	}
}

func newLineReader(r io.Reader) *lineReader { return &lineReader{src: r, r: bufio.NewReader(r)} }

// errNoInput: stdin is at its end or closed before pair asked anything,
// so no code could ever be typed (pair </dev/null, an empty pipe).
var errNoInput = errors.New("stdin is at its end (or closed), so no code could be typed")

// ended reports whether no answer can arrive on stdin: a closed
// descriptor, or one at its end right now (/dev/null, an empty file, a
// pipe whose writer closed without writing). A pipe whose writer is still
// there may yet carry a code, and a reader that is not a file is not
// asked. Nothing is consumed: a byte waiting is only peeked into l's
// buffer, where the next read finds it.
func (l *lineReader) ended() bool {
	f, ok := l.src.(*os.File)
	if !ok || f == nil {
		return false
	}
	if _, err := f.Stat(); err != nil {
		return true // closed (EBADF): nothing can come
	}
	if l.r.Buffered() > 0 || !readableNow(f) {
		return false
	}
	_, err := l.r.Peek(1)
	return err != nil
}

type lineResult struct {
	line string
	err  error
}

// read returns the next line without its line ending; "" with
// pairing.ErrCanceled at end of input.
func (l *lineReader) read(ctx context.Context) (string, error) {
	if l.tooLong {
		return "", errLineTooLong
	}
	ch := make(chan lineResult, 1)
	go func() {
		s, err := l.readLine()
		ch <- lineResult{s, err}
	}()
	select {
	case <-ctx.Done():
		return "", pairing.ErrCanceled
	case res := <-ch:
		if errors.Is(res.err, errLineTooLong) {
			l.tooLong = true
			return "", res.err
		}
		line := strings.TrimRight(res.line, "\r\n")
		if res.err != nil && (line == "" || !errors.Is(res.err, io.EOF)) {
			if errors.Is(res.err, io.EOF) {
				return "", pairing.ErrCanceled
			}
			return "", fmt.Errorf("reading stdin: %w", res.err)
		}
		return line, nil
	}
}

func (c *cli) cmdAdd(args []string) int {
	fs := newFlags("add")
	force := fs.Bool("force", false, "")
	noVerify := fs.Bool("no-verify", false, "")
	name, code, ok := c.newKeyName(fs, args)
	if !ok {
		return code
	}
	w := where{name: name}
	// Echo off before anything else, for the key typed or pasted ahead of
	// the prompt (the keychain may take seconds to open); see hideInput.
	// Signals are caught from here on, so none kills anykey with echo off.
	ctx, stop := c.interruptible()
	defer stop()
	keyRead := false
	if c.hideInput != nil && c.isTerminal(c.stdin) {
		restore := c.hideInput(c.stdin)
		defer func() { restore(!keyRead) }()
		var stopMore context.CancelFunc
		ctx, stopMore = signal.NotifyContext(ctx, syscall.SIGHUP, syscall.SIGQUIT)
		defer stopMore()
	}
	st, err := c.store()
	if err != nil {
		return c.fail(err, w)
	}
	if !*force {
		// Before asking for the key, so nobody pastes a secret for nothing.
		if _, err := st.Lookup(ctx, name); err == nil {
			return c.fail(keystore.ErrExists, w)
		} else if !errors.Is(err, keystore.ErrNotFound) {
			return c.fail(err, w)
		}
	}
	base, err := c.resolveURL()
	if err != nil {
		return c.fail(err, w)
	}
	w.url = base

	secret, err := c.readKey(ctx)
	const pipeAlone = "pipe the key alone; for a password manager's entry whose first line is the key, take that line: pass show ENTRY | head -n 1 | anykey add %s"
	var many *errManyLines
	if errors.As(err, &many) {
		c.say("%v; nothing was saved", err)
		if many.Pasted {
			c.hint("copy the key alone (Anytype's Settings → API Keys) and paste it at the prompt of anykey add %s", quoteArg(name))
		} else {
			c.hint(pipeAlone, quoteArg(name))
		}
		return exitFailure
	}
	if errors.Is(err, errStdinTooMuch) {
		c.say("stopped: %v; nothing was saved", err)
		c.hint(pipeAlone, quoteArg(name))
		return exitFailure
	}
	if err != nil {
		return c.fail(err, w)
	}
	keyRead = true
	// Checked before Anytype and also with --no-verify: a key with a stray
	// character is no key, whatever Anytype would say.
	if secret, err = auth.CleanPastedKey(secret); err != nil {
		c.say("%v; nothing was saved", err)
		c.hint("copy the key again from Anytype's Settings → API Keys (a plain-text editor or the terminal keeps it intact)")
		return exitFailure
	}
	if secret == "" {
		c.say("no key given")
		c.hint("copy the key from Anytype's Settings → API Keys and paste it at the prompt of anykey add %s, or pipe it from a password manager (never from a plain file)", quoteArg(name))
		return exitFailure
	}

	e := keystore.Entry{Name: name, APIURL: base, CreatedAt: c.now().UTC().Truncate(time.Second)}
	if !*noVerify {
		cl, err := c.client(base)
		if err != nil {
			return c.fail(err, w)
		}
		e.APIURL = cl.BaseURL()
		res, err := cl.Check(ctx, secret)
		v := res.Validity
		if err != nil && v == auth.Valid {
			v = auth.Unreachable // a failed check proves nothing
		}
		switch v {
		case auth.Valid:
			if srv, err := cl.Probe(ctx); err == nil {
				e.APIVersion = srv.APIVersion
			}
			entryFacts(&e, res)
		case auth.Expired:
			// Copying it again cannot help: Anytype refuses it for good.
			c.say("Anytype at %s says this key has expired; it was not saved", e.APIURL)
			c.hint("pair a new key with %s (or create one without an expiry in Anytype's Settings → API Keys)", c.pairAgain(ctx, st, name, *force))
			return exitFailure
		case auth.Rejected:
			c.say("Anytype at %s rejected this key; it was not saved", e.APIURL)
			c.hint("copy the key again from Anytype's Settings → API Keys, or run %s", c.pairAgain(ctx, st, name, *force))
			return exitFailure
		default:
			if err == nil {
				err = auth.ErrNotRunning
			}
			code := c.fail(err, w)
			c.hint("to save the key without checking it, add --no-verify")
			return code
		}
	}
	if err := st.Set(ctx, e, secret, *force); err != nil {
		return c.fail(err, w)
	}
	c.say("saved key %q for %s", name, e.APIURL)
	c.warnScoped(e)
	return exitOK
}

// readKey reads the key from a hidden terminal prompt, or from stdin to its
// end when it is not a terminal (readPipedKey: one line that is not blank). Never from argv: argv is world-readable.
func (c *cli) readKey(ctx context.Context) (string, error) {
	if c.isTerminal(c.stdin) {
		fmt.Fprint(c.stderr, "Paste the API key (input hidden): ")
		s, err := c.readHidden(ctx, c.stdin)
		fmt.Fprintln(c.stderr)
		if errors.Is(err, pairing.ErrCanceled) {
			return "", err
		}
		if err != nil {
			return "", fmt.Errorf("reading the key: %w", err)
		}
		// The rest of a paste is refused as a pipe's is, and never left
		// for the shell.
		if f, ok := c.stdin.(*os.File); ok {
			lines := pendingLines(f)
			if strings.TrimSpace(s) != "" {
				lines++
			}
			if lines > 1 {
				return "", &errManyLines{Lines: lines, Pasted: true}
			}
		}
		return s, nil
	}
	// pairing.ErrCanceled here is a signal (Ctrl-C) while stdin had not
	// ended; an ended stdin with no key is "", nil.
	return readPipedKey(ctx, c.stdin)
}

// pairAgain is the command that pairs a new key under name, for add's
// hints: with --force the name may already be saved, and pair refuses a
// saved name, so it is rotate then (which also keeps the saved URL).
func (c *cli) pairAgain(ctx context.Context, st keystore.Store, name string, force bool) string {
	if force {
		if _, err := st.Lookup(ctx, name); err == nil {
			return "anykey rotate " + quoteArg(name)
		}
	}
	return "anykey pair " + quoteArg(name)
}
