// Package handoff formats a key the way third-party tools read it: the
// environment variables of `anykey env` and `anykey exec`, the shell lines
// that export them, and the MCP client config of `anykey mcp`. The CLI and
// the tray's "Copy shell exports" / "Copy MCP config" items both use it, so
// the two faces hand out the same text.
//
// Start with [Vars], [Exports] and [MCPConfig].
package handoff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/anykey-app/anykey/auth"
)

// Var is one environment variable.
type Var struct{ Name, Value string }

// Vars are the variables Anytype clients read a key from: most community
// tools read ANYTYPE_API_KEY, older ones ANYTYPE_APP_KEY, and anytype-mcp
// reads only OPENAPI_MCP_HEADERS (and ANYTYPE_API_BASE_URL for another port).
func Vars(secret, baseURL string) []Var {
	return []Var{
		{"ANYTYPE_API_KEY", secret},
		{"ANYTYPE_APP_KEY", secret},
		{"ANYTYPE_API_BASE_URL", baseURL},
		{"OPENAPI_MCP_HEADERS", MCPHeaders(secret)},
	}
}

// MCPHeaders is the JSON string anytype-mcp expects in OPENAPI_MCP_HEADERS:
// {"Authorization":"Bearer <key>","Anytype-Version":"2025-11-08"}.
func MCPHeaders(secret string) string {
	h := struct {
		Authorization string `json:"Authorization"`
		Version       string `json:"Anytype-Version"`
	}{"Bearer " + secret, auth.APIVersion}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	// Encoding a struct of two strings cannot fail.
	_ = enc.Encode(h)
	return strings.TrimSuffix(b.String(), "\n")
}

// Shells lists the values [Exports] accepts, in the order help text shows them.
var Shells = []string{"sh", "fish", "powershell"}

// shellLine maps a shell (and its aliases) to a line formatter.
var shellLine = map[string]func(name, value string) string{
	"sh":         func(n, v string) string { return "export " + n + "=" + QuoteSh(v) },
	"bash":       func(n, v string) string { return "export " + n + "=" + QuoteSh(v) },
	"zsh":        func(n, v string) string { return "export " + n + "=" + QuoteSh(v) },
	"fish":       func(n, v string) string { return "set -gx " + n + " " + fishQuote(v) },
	"powershell": func(n, v string) string { return "$env:" + n + " = " + psQuote(v) },
	"pwsh":       func(n, v string) string { return "$env:" + n + " = " + psQuote(v) },
}

// ErrUnknownShell is returned by [Exports] for a shell it cannot quote for.
var ErrUnknownShell = fmt.Errorf("unknown shell (want %s)", strings.Join(Shells, ", "))

// Exports returns one line per variable that sets it in shell, each ending
// in a newline.
func Exports(shell string, vars []Var) (string, error) {
	format, ok := shellLine[shell]
	if !ok {
		return "", ErrUnknownShell
	}
	var b strings.Builder
	for _, v := range vars {
		b.WriteString(format(v.Name, v.Value))
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// QuoteSh quotes s for POSIX sh: inside single quotes nothing is special
// except the quote itself, which is written as '\”.
func QuoteSh(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// Quote quotes s for shell ("sh", "bash", "zsh", "fish", "powershell" or
// "pwsh"; anything else is treated as sh), leaving it bare when no
// character in it is special to any of them.
func Quote(shell, s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-") == "" {
		return s
	}
	switch shell {
	case "fish":
		return fishQuote(s)
	case "powershell", "pwsh":
		return psQuote(s)
	}
	return QuoteSh(s)
}

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
