package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/handoff"
	"github.com/anykey-app/anykey/handoff/mcpconfig"
	"github.com/anykey-app/anykey/handoff/npx"
	"github.com/anykey-app/anykey/keystore"
	"github.com/anykey-app/anykey/packaging"
	"github.com/anykey-app/anykey/tray"
)

// executable is os.Executable, and launchPath packaging.LaunchPath; the
// in-process tests, which run as go test's cli.test in the temp dir, point
// them at an anykey of their own. The refusal itself is tested in
// packaging and on a real binary (TestMCPRefusesTempBinary).
var (
	executable = os.Executable
	launchPath = packaging.LaunchPath
)

// cmdMCP prints, installs or removes an MCP client entry for anytype-mcp.
// By default the entry holds no key: the client starts anykey, which reads
// the key from the keychain and runs the server through exec --mask.
func (c *cli) cmdMCP(args []string) int {
	if len(args) > 0 && args[0] == "serve" {
		return c.cmdMCPServe(args[1:]) // mcpserve.go
	}
	fs := newFlags("mcp")
	client := fs.String("client", mcpconfig.DefaultClient, "")
	inline := fs.Bool("inline", false, "")
	install := fs.String("install", "", "")
	uninstall := fs.String("uninstall", "", "")
	force := fs.Bool("force", false, "")
	list := fs.Bool("clients", false, "")
	pos, err := c.flags(fs, args, 0, 1)
	if err != nil {
		return parseExit(err)
	}
	if *list {
		return c.mcpClients()
	}
	if len(pos) == 0 {
		return c.usageError("mcp: missing NAME (anykey mcp --clients lists the clients)")
	}
	if *install != "" && *uninstall != "" {
		return c.usageError("mcp: --install and --uninstall exclude each other")
	}
	id := *client
	if *install != "" {
		id = *install
	} else if *uninstall != "" {
		id = *uninstall
	}
	cl, ok := mcpconfig.Lookup(id)
	if !ok {
		return c.usageError(fmt.Sprintf("mcp: unknown client %q (one of %s)", id, strings.Join(mcpconfig.IDs(), ", ")))
	}
	if *inline && (*install != "" || *uninstall != "") {
		return c.usageError("mcp: --inline only prints; --install writes the keyless entry")
	}
	name := pos[0]
	if *uninstall != "" {
		return c.mcpInstall(cl, name, nil, *force)
	}
	if !*inline {
		// Refuse a binary that will vanish before reading the keychain.
		if _, err := keylessEntry(name, "", ""); err != nil {
			return c.failEntry(err, name)
		}
	}
	e, err := c.keyEntry(name)
	if err != nil {
		return c.fail(err, where{name: name})
	}
	c.warnScoped(e)
	entry, err := c.mcpEntry(name, e, *inline)
	if err != nil {
		return c.failEntry(err, name)
	}
	if *install != "" {
		return c.mcpInstall(cl, name, &entry, *force)
	}
	if err := cl.Check(entry); err != nil {
		return c.failEntry(err, name)
	}
	if _, err := c.stdout.Write(cl.Snippet(entry)); err != nil {
		return c.fail(err, where{name: name})
	}
	if argv := cl.AddCommand(entry); argv != nil {
		c.hint("or let %s add it: %s", cl.Name, c.shellLine(argv))
		if quotesLost(runtime.GOOS, c.userShell(), argv) {
			c.hint("PowerShell on Windows may drop the double quotes inside the JSON when it starts %s (PowerShell/PowerShell#1995); if %s reports bad JSON, run anykey mcp --install %s %s instead",
				argv[0], cl.Name, cl.ID, quoteArg(name))
		}
	}
	switch {
	case !cl.Editable():
		c.hint("add it by hand to %s", cl.File(c.clientEnv()))
	case !*inline:
		c.hint("anykey mcp --install %s %s writes it into %s", cl.ID, quoteArg(name), cl.File(c.clientEnv()))
	}
	if cl.ID == "gemini" {
		c.hint("%s", geminiTrustHint)
	}
	return exitOK
}

// geminiTrustHint: Gemini CLI starts stdio servers, user-level ones too,
// only in a trusted folder; elsewhere it lists them as disabled.
const geminiTrustHint = "Gemini CLI starts MCP servers only in folders you trust: accept its trust prompt in the folder you work in (or add the folder to ~/.gemini/trustedFolders.json)"

// failEntry reports why the keyless entry could not be made or would not
// work in a client, and otherwise falls back to fail.
func (c *cli) failEntry(err error, name string) int {
	var (
		pe *entryPathError
		xe *mcpconfig.ExpansionError
	)
	switch {
	case errors.As(err, &pe):
		c.say("an MCP client entry must not start %s, which %s and would stop working", pe.Path, pe.Reason)
		c.hint("%s, then make the entry from the installed anykey", packaging.InstallFirst)
		return exitFailure
	case errors.As(err, &xe):
		c.say("%v (google-gemini/gemini-cli#28228); the entry was not made", err)
		if xe.Value == name {
			c.hint("Gemini CLI has no escape for it: save the key under a name without $ or %%...%% (anykey pair NEWNAME) and use that name")
		} else {
			c.hint("Gemini CLI has no escape for it: the entry works there only when anykey's path and your home directory hold no $ or %%...%%")
		}
		return exitFailure
	}
	return c.fail(err, where{name: name})
}

// keyEntry is a key's metadata, with an error when its secret is gone:
// the keyless entry would only fail later, inside the client.
func (c *cli) keyEntry(name string) (keystore.Entry, error) {
	st, err := c.store()
	if err != nil {
		return keystore.Entry{}, err
	}
	e, err := st.Lookup(c.ctx, name)
	if err != nil {
		return e, err
	}
	if e.Missing {
		return e, fmt.Errorf("key %q: %w", name, keystore.ErrNotFound)
	}
	e.APIURL = c.urlFor(e) // --api-url wins for this run
	return e, nil
}

// mcpEntry builds the keyless entry, or with inline the one holding the key.
func (c *cli) mcpEntry(name string, e keystore.Entry, inline bool) (mcpconfig.Entry, error) {
	if !inline {
		return keylessEntry(name, c.clientEnv().Home, nonDefaultConfigDir(c.st))
	}
	npx, path, err := findLauncher(c.getenv("PATH"))
	if err != nil {
		return mcpconfig.Entry{}, err
	}
	server := []string{npx, "-y", mcpconfig.AnytypeMCP}
	_, secret, err := c.secretFor(name)
	if err != nil {
		return mcpconfig.Entry{}, err
	}
	ctx, cancel := context.WithTimeout(c.ctx, probeTimeout)
	err = auth.CheckHandOff(ctx, e.APIURL) // the key goes where the client will send it
	cancel()
	if err != nil {
		return mcpconfig.Entry{}, err
	}
	c.say("warning: --inline puts the key in plain text into the client's config file (and its backups); the default entry holds no key")
	return mcpconfig.Inline(server, path, map[string]string{
		"OPENAPI_MCP_HEADERS":  handoff.MCPHeaders(secret),
		"ANYTYPE_API_BASE_URL": e.APIURL,
	}), nil
}

// keylessEntry is the entry that starts `anykey mcp serve name`: anykey
// under a path that lasts (packaging.LaunchPath refuses go run's and go
// test's binaries and anything in the temp dir, and names Homebrew's and
// Nix's stable links instead of their versioned paths), with HOME (Unix)
// or the config directory (Windows, or a non-default one) in its env for
// clients that pass a server nothing else (anthropics/claude-code#1254).
func keylessEntry(name, home, configDir string) (mcpconfig.Entry, error) {
	self, err := executable()
	if err != nil {
		return mcpconfig.Entry{}, fmt.Errorf("finding anykey's own path: %w", err)
	}
	if self, err = launchPath(self); err != nil {
		var ni *packaging.NotInstalledError
		if errors.As(err, &ni) {
			return mcpconfig.Entry{}, &entryPathError{ni}
		}
		return mcpconfig.Entry{}, err
	}
	if runtime.GOOS == "windows" {
		home = ""
		if configDir == "" {
			configDir = defaultConfigDir()
		}
	} else if !filepath.IsAbs(home) {
		home = ""
	}
	return mcpconfig.Keyless(mcpconfig.Launch{Anykey: self, Key: name, Home: home, ConfigDir: configDir}), nil
}

// entryPathError: the running anykey is no binary for an MCP entry to
// start (go run's, go test's, one in the temp dir or where others write).
// Its message carries the hint, for the tray's notifications.
type entryPathError struct{ *packaging.NotInstalledError }

func (e *entryPathError) Error() string {
	return fmt.Sprintf("an MCP client entry must not start %s, which %s and would stop working; %s, then make the entry from the installed anykey",
		e.Path, e.Reason, packaging.InstallFirst)
}

// defaultConfigDir is anykey's config directory as found without
// ANYKEY_CONFIG_DIR, "" when the OS does not say.
func defaultConfigDir() string {
	d, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "anykey")
}

// trayConnector is the tray's "Connect to": the keyless entry of the CLI.
func trayConnector(st keystore.Store) tray.MCPConnector {
	home, _ := os.UserHomeDir()
	return tray.MCPConnector{
		Env: mcpconfig.Env{OS: runtime.GOOS, Home: home, Getenv: os.Getenv},
		Entry: func(key string) (mcpconfig.Entry, error) {
			return keylessEntry(key, home, nonDefaultConfigDir(st))
		},
	}
}

// errNoNode is returned when no npx is found, at launch or for --inline.
var errNoNode = errors.New("npx (Node.js) is not on PATH, nor where nvm, fnm, volta, asdf or mise keep it; " +
	"anytype-mcp, which serves Anytype versions without their own MCP endpoint, runs with Node.js 18 or later: install it (or update Anytype), then try again")

// findLauncher finds npx (package npx: PATH pathList, then the stable
// places of Node version managers, then the system's directories) and
// returns its absolute path (not resolved through symlinks: nvm and
// Homebrew link npx to a script that finds node beside it) and the PATH to
// run it with. HOME and the managers' variables come from the process's
// environment.
func findLauncher(pathList string) (npxPath, path string, err error) {
	home, _ := os.UserHomeDir()
	return findNode(home, func(k string) string {
		if k == "PATH" {
			return pathList
		}
		return os.Getenv(k)
	})
}

func findNode(home string, getenv func(string) string) (string, string, error) {
	f, err := npx.Find(npx.Env{OS: runtime.GOOS, Home: home, Getenv: getenv})
	if err != nil {
		var nu *npx.NotUsedError
		if errors.As(err, &nu) {
			return "", "", fmt.Errorf("%w (an npx was passed over: %s)", errNoNode, nu.Why)
		}
		return "", "", errNoNode
	}
	return f.NPX, f.Path, nil
}

// nonDefaultConfigDir is the config directory when a client's short
// environment (HOME, no XDG_CONFIG_HOME) would not lead anykey to it.
func nonDefaultConfigDir(st keystore.Store) string {
	p, ok := st.(interface{ IndexPath() string })
	if !ok {
		return ""
	}
	dir := filepath.Dir(p.IndexPath())
	def, err := os.UserConfigDir()
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" && runtime.GOOS != "ios" && runtime.GOOS != "plan9" {
		if home, herr := os.UserHomeDir(); herr == nil {
			def, err = filepath.Join(home, ".config"), nil
		}
	}
	if err == nil && filepath.Join(def, "anykey") == dir {
		return ""
	}
	return dir
}

// clientEnv is where client files are found on this machine.
// On Windows the home is USERPROFILE, as os.UserHomeDir reads it, but
// through the CLI's own environment, so that tests point it elsewhere.
func (c *cli) clientEnv() mcpconfig.Env {
	// os.UserHomeDir's own variables, read through c.getenv so a test's
	// environment is the whole truth: USERPROFILE on Windows (HOME there
	// may be Git Bash's /c/Users/...), HOME elsewhere.
	home := c.getenv("HOME")
	if runtime.GOOS == "windows" {
		home = c.getenv("USERPROFILE")
	}
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return mcpconfig.Env{OS: runtime.GOOS, Home: home, Getenv: c.getenv}
}

// userShell is the shell the user's command lines are quoted for: the base
// name of $SHELL (lowercase, without .exe), else PowerShell on Windows and
// sh elsewhere.
func (c *cli) userShell() string {
	sh := strings.TrimSuffix(strings.ToLower(filepath.Base(c.getenv("SHELL"))), ".exe")
	switch {
	case c.getenv("SHELL") != "" && sh != "." && sh != "":
		return sh
	case runtime.GOOS == "windows":
		return "powershell"
	}
	return "sh"
}

// quotedShells are the shells handoff.Quote knows, or whose quoting is
// POSIX sh's.
var quotedShells = []string{"sh", "bash", "zsh", "fish", "powershell", "pwsh", "dash", "ksh", "mksh", "ash", "busybox"}

// shellLine quotes argv for the user's shell; for a shell it does not know
// (tcsh, nushell, …) it quotes for sh and says so.
func (c *cli) shellLine(argv []string) string {
	sh := c.userShell()
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = handoff.Quote(sh, a)
	}
	line := strings.Join(q, " ")
	if !slices.Contains(quotedShells, sh) {
		line += " (quoted for sh, not " + sh + ")"
	}
	return line
}

// quotesLost reports whether the shell, starting argv[0], may strip the
// double quotes inside an argument: Windows PowerShell 5.1 always does, and
// PowerShell 7.3+ still does for .cmd and .bat programs, which is how npm
// installs claude, codex and gemini and how VS Code installs code.
func quotesLost(goos, shell string, argv []string) bool {
	if goos != "windows" || shell != "powershell" && shell != "pwsh" {
		return false
	}
	for _, a := range argv {
		if strings.Contains(a, `"`) {
			return true
		}
	}
	return false
}
