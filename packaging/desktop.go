package packaging

import (
	_ "embed"
	"fmt"
	"strings"
)

// desktopEntry is the desktop entry that packages install as
// /usr/share/applications/anykey.desktop. Start at login on Linux writes the
// same entry with Exec and TryExec pointing at the running binary.
//
//go:embed linux/anykey.desktop
var desktopEntry []byte

// autostartEntry rewrites Exec and TryExec of the [Desktop Entry] group of
// [desktopEntry] to run exe with "tray"; every other line stays as shipped.
func autostartEntry(exe string) ([]byte, error) {
	if !strings.HasPrefix(exe, "/") {
		return nil, fmt.Errorf("autostart entry: executable %q is not absolute", exe)
	}
	execLine := "Exec=" + escapeDesktopString(quoteExecArg(exe)+" tray")
	tryLine := "TryExec=" + escapeDesktopString(exe)
	var out []string
	group, sawExec, sawTry := "", false, false
	for _, line := range strings.Split(strings.TrimRight(string(desktopEntry), "\n"), "\n") {
		if strings.HasPrefix(line, "[") {
			group = line
		}
		if group == "[Desktop Entry]" {
			switch {
			case strings.HasPrefix(line, "Exec="):
				line, sawExec = execLine, true
			case strings.HasPrefix(line, "TryExec="):
				line, sawTry = tryLine, true
			}
		}
		out = append(out, line)
	}
	if !sawExec || !sawTry {
		return nil, fmt.Errorf("autostart entry: embedded desktop entry lacks Exec or TryExec")
	}
	return []byte(strings.Join(out, "\n") + "\n"), nil
}

// execReserved are the characters that force an Exec argument into double
// quotes (Desktop Entry Specification, "The Exec key").
const execReserved = " \t\n\"'\\><~|&;$*?#()`"

// quoteExecArg quotes one Exec argument per the Desktop Entry spec: "%" is
// doubled (it starts field codes), and an argument with reserved characters
// goes in double quotes with `"`, "`", "$" and "\" backslash-escaped.
func quoteExecArg(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	if !strings.ContainsAny(s, execReserved) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if strings.ContainsRune("\"`$\\", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// escapeDesktopString applies the escapes of a desktop-file string value,
// which are undone before the Exec value is split into arguments.
func escapeDesktopString(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s)
}

// desktopEntryEnabled reports whether an autostart file would start the
// program: desktop sessions skip entries marked Hidden=true, and GNOME also
// skips X-GNOME-Autostart-enabled=false.
func desktopEntryEnabled(data []byte) bool {
	group := ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			group = line
			continue
		}
		if group != "[Desktop Entry]" {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch {
		case key == "Hidden" && value == "true":
			return false
		case key == "X-GNOME-Autostart-enabled" && value == "false":
			return false
		}
	}
	return true
}
