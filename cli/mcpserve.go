package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/handoff/mcpbridge"
	"github.com/anykey-app/anykey/handoff/mcpconfig"
	"github.com/anykey-app/anykey/keystore"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// cmdMCPServe is `mcp serve NAME [--tier small|large|full]`: the stdio MCP
// server an MCP client's entry starts. On an Anytype that serves MCP
// itself (/mcp/TIER) it bridges the client to it, with the key only in the
// requests' Authorization header (handoff/mcpbridge); on an older Anytype
// it runs anytype-mcp with the key, masked in its stderr, as the entries
// before `mcp serve` did.
//
// stdout is the JSON-RPC channel: nothing else is ever written to it.
// Messages for a person go to stderr, which clients keep in their logs.
func (c *cli) cmdMCPServe(args []string) int {
	fs := newFlags("mcp serve")
	tier := fs.String("tier", mcpbridge.DefaultTier, "")
	pos, err := c.flags(fs, args, 1, 1)
	if err != nil {
		return parseExit(err)
	}
	if !slices.Contains(mcpbridge.Tiers, *tier) {
		return c.usageError(fmt.Sprintf("mcp serve: unknown --tier %q (one of %s)", *tier, strings.Join(mcpbridge.Tiers, ", ")))
	}
	name := pos[0]
	st, err := c.store()
	if err != nil {
		return c.failServe(err, where{name: name})
	}
	// The secret is read while keys.json and the keychain's state are:
	// both are questions to the keychain's daemon, which answers them side
	// by side; the start waits for the slower, not for both in turn.
	type read struct {
		secret string
		err    error
	}
	got := make(chan read, 1)
	go func() {
		secret, err := st.Get(c.ctx, name)
		got <- read{secret, err}
	}()
	e, err := st.Lookup(c.ctx, name)
	if err == nil && e.Missing {
		err = fmt.Errorf("key %q: %w", name, keystore.ErrNotFound)
	}
	if err != nil {
		return c.failServe(err, where{name: name})
	}
	e.APIURL = c.urlFor(e)
	cfg := mcpbridge.Config{
		BaseURL:   e.APIURL,
		Tier:      *tier,
		Name:      name,
		Transport: auth.RoundTripper(),
		Log:       c.stderr,
	}
	// The probe sends no key, so it runs while the key is read from the
	// keychain: both wait on other processes, and the probe's new
	// connection (with its listener owner check) is then reused for
	// initialize.
	type detection struct {
		served bool
		err    error
	}
	detected := make(chan detection, 1)
	go func() {
		served, err := mcpbridge.Detect(c.ctx, cfg)
		detected <- detection{served, err}
	}()
	r := <-got
	if r.err != nil {
		return c.failServe(r.err, where{name: name})
	}
	cfg.Key = r.secret
	// After a refusal of the key, the bridge reads it again: a key
	// replaced with rotate or pair --force is used without a restart.
	cfg.Reload = func(ctx context.Context) (string, error) { return st.Get(ctx, name) }
	d := <-detected
	served, err := d.served, d.err
	var le *auth.ListenerError
	var pe *mcpbridge.ProbeError
	switch {
	case errors.As(err, &le):
		return c.failServe(err, where{name: name, url: cfg.BaseURL})
	case errors.As(err, &pe):
		// Busy or failing, but there: bridge, and let each call say what
		// Anytype answers (an older Anytype's 404 says to restart).
		c.say("mcp serve: Anytype at %s %v; serving through its MCP endpoint, each call will say what Anytype answers", cfg.BaseURL, err)
	case err != nil:
		// Not running (yet): serve anyway, so that each call is answered
		// at once with what to do instead of the client timing out.
		c.say("mcp serve: Anytype does not answer at %s (%v); each call will say so until it does", cfg.BaseURL, err)
	case !served:
		return c.mcpServeFallback(name)
	}

	ctx, stop := signal.NotifyContext(c.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	local := &mcp.IOTransport{Reader: io.NopCloser(c.stdin), Writer: nopWriteCloser{c.stdout}}
	if err := mcpbridge.Serve(ctx, local, cfg); err != nil {
		return exitFailure // Serve said why on stderr
	}
	return exitOK
}

// mcpServeFallback serves key name through anytype-mcp, for an Anytype
// without its own MCP endpoint: `exec --mask NAME -- npx -y
// @anyproto/anytype-mcp`, with npx looked up when the server starts.
func (c *cli) mcpServeFallback(name string) int {
	npx, path, err := findNode(c.clientEnv().Home, c.getenv)
	if err != nil {
		return c.failServe(err, where{name: name})
	}
	environ := c.environ
	c.environ = func() []string { return withPathFirst(environ(), path) }
	defer func() { c.environ = environ }()
	return c.cmdExecMask([]string{"--", name, "--", npx, "-y", mcpconfig.AnytypeMCP})
}

// withPathFirst puts dirs before env's PATH (npx starts node through
// `#!/usr/bin/env node`, so node's directory must be on it).
func withPathFirst(env []string, dirs string) []string {
	out := make([]string, 0, len(env)+1)
	found := false
	for _, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); strings.EqualFold(k, "PATH") {
			found = true
			if v != "" {
				dirs += string(os.PathListSeparator) + v
			}
			kv = k + "=" + dirs
		}
		out = append(out, kv)
	}
	if !found {
		out = append(out, "PATH="+dirs)
	}
	return out
}

// refuseIdle is how long a server that cannot start waits for the
// client's next message; clients write initialize as soon as they start
// the server.
const refuseIdle = 10 * time.Second

// failServe is c.fail for mcp serve when it cannot start: the message and
// hint go to stderr (the client's log) as always, and the client's calls
// are answered with them too, until its input ends or refuseIdle passes
// without a message, so that the client shows why instead of "connection
// closed". Not on a terminal: there a person reads stderr.
func (c *cli) failServe(err error, w where) int {
	var said bytes.Buffer
	stderr := c.stderr
	c.stderr = io.MultiWriter(stderr, &said)
	code := c.fail(err, w)
	c.stderr = stderr
	if isTerminal(c.stdin) {
		return code
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(said.String()), "\n") {
		l = strings.TrimPrefix(strings.TrimSpace(l), "anykey: ")
		lines = append(lines, strings.TrimPrefix(l, "hint: "))
	}
	e := &jsonrpc.Error{Code: mcpbridge.CodeNotStarted, Message: "anykey mcp serve could not start: " + strings.Join(lines, ". ")}
	local := &mcp.IOTransport{Reader: io.NopCloser(c.stdin), Writer: nopWriteCloser{c.stdout}}
	_ = mcpbridge.Refuse(c.ctx, local, e, refuseIdle)
	return code
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
