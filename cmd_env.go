package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/keystore"
)

// keyVar is one variable env and exec set.
type keyVar struct{ name, value string }

// keyVars are the variables Anytype clients read a key from: most community
// tools read ANYTYPE_API_KEY, older ones ANYTYPE_APP_KEY, and anytype-mcp
// reads only OPENAPI_MCP_HEADERS (anyproto/anytype-mcp#11, #71).
func keyVars(e keystore.Entry, secret string) []keyVar {
	return []keyVar{
		{"ANYTYPE_API_KEY", secret},
		{"ANYTYPE_APP_KEY", secret},
		{"ANYTYPE_API_BASE_URL", e.APIURL},
		{"OPENAPI_MCP_HEADERS", mcpHeaders(secret)},
	}
}

// mcpHeaders is the JSON string anytype-mcp expects in OPENAPI_MCP_HEADERS.
func mcpHeaders(secret string) string {
	h := struct {
		Authorization string `json:"Authorization"`
		Version       string `json:"Anytype-Version"`
	}{"Bearer " + secret, auth.APIVersion}
	return compactJSON(h)
}

func compactJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only ever called on plain structs of strings
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// shells maps --shell values to a line formatter.
var shells = map[string]func(name, value string) string{
	"sh":         func(n, v string) string { return "export " + n + "=" + shQuote(v) },
	"bash":       func(n, v string) string { return "export " + n + "=" + shQuote(v) },
	"zsh":        func(n, v string) string { return "export " + n + "=" + shQuote(v) },
	"fish":       func(n, v string) string { return "set -gx " + n + " " + fishQuote(v) },
	"powershell": func(n, v string) string { return "$env:" + n + " = " + psQuote(v) },
	"pwsh":       func(n, v string) string { return "$env:" + n + " = " + psQuote(v) },
}

// shQuote quotes s for POSIX sh: inside single quotes nothing is special
// except the quote itself, which is written as '\”.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// fishQuote quotes s for fish, where a single-quoted string still treats \\
// and \' as escapes.
func fishQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, "'", `\'`) + "'"
}

// psQuote quotes s for PowerShell: a single-quoted string doubles its quotes.
// The typographic quotes PowerShell also accepts as delimiters are doubled too.
func psQuote(s string) string {
	r := strings.NewReplacer("'", "''", "\u2018", "\u2018\u2018", "\u2019", "\u2019\u2019",
		"\u201a", "\u201a\u201a", "\u201b", "\u201b\u201b")
	return "'" + r.Replace(s) + "'"
}

func (c *cli) cmdEnv(args []string) int {
	fs := newFlags("env")
	shell := fs.String("shell", "sh", "")
	pos, err := c.flags(fs, args, 1, 1)
	if err != nil {
		return parseExit(err)
	}
	format, ok := shells[*shell]
	if !ok {
		return c.usageError(fmt.Sprintf("env: unknown shell %q (sh, fish or powershell)", *shell))
	}
	e, secret, err := c.secretFor(pos[0])
	if err != nil {
		return c.fail(err, where{name: pos[0]})
	}
	var b strings.Builder
	for _, v := range keyVars(e, secret) {
		b.WriteString(format(v.name, v.value))
		b.WriteByte('\n')
	}
	fmt.Fprint(c.stdout, b.String())
	return exitOK
}

func (c *cli) cmdMCP(args []string) int {
	pos, err := c.flags(newFlags("mcp"), args, 1, 1)
	if err != nil {
		return parseExit(err)
	}
	e, secret, err := c.secretFor(pos[0])
	if err != nil {
		return c.fail(err, where{name: pos[0]})
	}
	type env struct {
		Headers string `json:"OPENAPI_MCP_HEADERS"`
		BaseURL string `json:"ANYTYPE_API_BASE_URL"`
	}
	type server struct {
		Command string   `json:"command"`
		Args    []string `json:"args"`
		Env     env      `json:"env"`
	}
	cfg := struct {
		Servers map[string]server `json:"mcpServers"`
	}{map[string]server{"anytype": {
		Command: "npx",
		Args:    []string{"-y", "@anyproto/anytype-mcp"},
		Env:     env{Headers: mcpHeaders(secret), BaseURL: e.APIURL},
	}}}
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(cfg); err != nil {
		return c.fail(err, where{name: pos[0]})
	}
	return exitOK
}

// cmdExec runs a command with the key in its environment only: never in
// its argv, which every user on the machine can read in /proc.
func (c *cli) cmdExec(args []string) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprint(c.stdout, usage)
		return exitOK
	}
	if len(args) == 0 || args[0] == "--" || strings.HasPrefix(args[0], "-") {
		return c.usageError("exec: usage: anykey exec NAME -- CMD [ARGS...]")
	}
	name, argv := args[0], args[1:]
	if len(argv) > 0 && argv[0] == "--" {
		argv = argv[1:]
	}
	if len(argv) == 0 {
		return c.usageError("exec: missing CMD after NAME --")
	}
	e, secret, err := c.secretFor(name)
	if err != nil {
		return c.fail(err, where{name: name})
	}

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = withVars(c.environ(), keyVars(e, secret))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.stdin, c.stdout, c.stderr

	// Catch the signals before starting, so none is lost between Start and
	// Notify; the child gets each one and decides how to end.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
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
func withVars(environ []string, vars []keyVar) []string {
	out := make([]string, 0, len(environ)+len(vars))
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		replaced := false
		for _, v := range vars {
			// Windows environment names are case-insensitive.
			if k == v.name || (runtime.GOOS == "windows" && strings.EqualFold(k, v.name)) {
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, kv)
		}
	}
	for _, v := range vars {
		out = append(out, v.name+"="+v.value)
	}
	return out
}
