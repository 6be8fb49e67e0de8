package packaging

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNoEntry: start at login is off, so no entry names a program.
var ErrNoEntry = errors.New("start at login is off")

// AutostartProgram returns the program the start-at-login entry starts:
// TryExec of the autostart desktop entry (Linux), ProgramArguments[0] of
// the launch agent (macOS), the quoted path of the Run value (Windows). It
// reads the entry only; whether the program still exists is the caller's
// question. The error is [ErrNoEntry] when there is no entry.
func AutostartProgram() (string, error) { return autostartProgram() }

// runProgram is the executable of a Run value written by [runCommand]:
// `"C:\path\anykey.exe" tray`; an unquoted value is cut at its first space.
func runProgram(v string) (string, error) {
	if rest, ok := strings.CutPrefix(v, `"`); ok {
		exe, _, ok := strings.Cut(rest, `"`)
		if !ok || exe == "" {
			return "", fmt.Errorf("the Run value %q has no closing quote", v)
		}
		return exe, nil
	}
	exe, _, _ := strings.Cut(v, " ")
	if exe == "" {
		return "", fmt.Errorf("the Run value is empty")
	}
	return exe, nil
}

// desktopTryExec returns the unescaped TryExec of data's [Desktop Entry]
// group, else the first word of its Exec; "" when it has neither.
func desktopTryExec(data []byte) string {
	group, exec := "", ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			group = line
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || group != "[Desktop Entry]" {
			continue
		}
		switch strings.TrimSpace(key) {
		case "TryExec":
			return unescapeDesktopString(strings.TrimSpace(value))
		case "Exec":
			exec = unescapeDesktopString(strings.TrimSpace(value))
		}
	}
	return firstExecArg(exec)
}

// unescapeDesktopString undoes [escapeDesktopString] (\s \n \t \r \\).
func unescapeDesktopString(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\s`, " ", `\n`, "\n", `\t`, "\t", `\r`, "\r").Replace(s)
}

// firstExecArg is the program of an Exec value: the first argument,
// unquoted as [quoteExecArg] quotes it.
func firstExecArg(s string) string {
	if rest, ok := strings.CutPrefix(s, `"`); ok {
		var b strings.Builder
		for i := 0; i < len(rest); i++ {
			switch c := rest[i]; {
			case c == '\\' && i+1 < len(rest):
				i++
				b.WriteByte(rest[i])
			case c == '"':
				return strings.ReplaceAll(b.String(), "%%", "%")
			default:
				b.WriteByte(c)
			}
		}
		return ""
	}
	exe, _, _ := strings.Cut(s, " ")
	return strings.ReplaceAll(exe, "%%", "%")
}
