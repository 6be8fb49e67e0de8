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
// "pwsh"; anything else is treated as sh), leaving it bare when that shell
// would pass it on as it is (see [bare]).
func Quote(shell, s string) string {
	ps := shell == "powershell" || shell == "pwsh"
	if bare(s, ps) {
		return s
	}
	switch {
	case shell == "fish":
		return fishQuote(s)
	case ps:
		return psQuote(s)
	}
	return QuoteSh(s)
}

// bare reports whether s needs no quotes: letters, digits and _+=:./- plus
// @%, (not for PowerShell: @splat, %, and "," makes an array), never first
// a character that a shell expands at the start of a word — zsh's =cmd
// (its path), fish's %self (its pid) — and a leading "-" only in an option
// such as -y or --add-mcp: PowerShell splits "-a.b" at the dot when it
// calls a program (PowerShell/PowerShell#6291) and takes a bare "--" for
// itself.
func bare(s string, ps bool) bool {
	const safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=:./-"
	if s == "" || s[0] == '=' || s[0] == '%' {
		return false
	}
	extra := "@%,"
	if ps {
		extra = ""
	}
	if strings.Trim(s, safe+extra) != "" {
		return false
	}
	if s == "--" {
		return !ps
	}
	if opt := strings.TrimLeft(s, "-"); opt != s {
		return len(s)-len(opt) <= 2 && opt != "" && strings.Trim(opt, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == ""
	}
	return true
}

// NameArg is a key name as the last word of an anykey command line shown to
// the user: quoted for sh, and after "--" when it starts with "-", so that
// anykey does not read it as an option (the options come before it).
func NameArg(name string) string {
	q := Quote("sh", name)
	if strings.HasPrefix(name, "-") {
		return "-- " + q
	}
	return q
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
