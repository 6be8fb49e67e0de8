// Package textsafe makes text that anykey did not write — what a server
// says, names read from keys.json — safe to show to a person.
//
// [Terminal] is for stderr and tray labels: it drops C0 and C1 control
// characters and the Unicode bidi overrides and isolates, which can move or
// hide text on a terminal ("Trojan Source", CVE-2021-42574). [Markup] does
// the same and then escapes the three characters that the freedesktop
// notification spec's body markup (a subset of HTML) gives meaning: &, <, >.
package textsafe

import (
	"strings"
	"unicode/utf8"
)

// isUnsafe reports whether r must not reach a terminal or a label: C0
// controls (U+0000–U+001F), DEL and C1 controls (U+007F–U+009F), the bidi
// embeddings and overrides U+202A–U+202E, the bidi isolates U+2066–U+2069,
// the marks U+200E/U+200F/U+061C, line and paragraph separators
// (U+2028/U+2029), and the replacement for invalid UTF-8.
func isUnsafe(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c, r == 0x2028, r == 0x2029:
		return true
	case r == utf8.RuneError:
		return true
	}
	return false
}

// Terminal returns s with every unsafe character (see the package doc)
// replaced by a space, runs of spaces kept as they are, and the ends
// trimmed. Invalid UTF-8 bytes count as unsafe.
func Terminal(s string) string {
	clean := true
	for _, r := range s {
		if isUnsafe(r) {
			clean = false
			break
		}
	}
	if clean {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if isUnsafe(r) {
			return ' '
		}
		return r
	}, s))
}

// markupEscaper escapes what freedesktop notification body markup
// interprets; quotes are plain text there.
var markupEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Markup returns [Terminal](s) with &, < and > escaped as entities, for the
// body of a desktop notification.
func Markup(s string) string { return markupEscaper.Replace(Terminal(s)) }

// Lines returns s with [Terminal] applied to each line, keeping the line
// breaks: for dialog text whose line breaks anykey wrote itself.
func Lines(s string) string {
	ls := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range ls {
		ls[i] = Terminal(l)
	}
	return strings.Join(ls, "\n")
}

// Clean reports whether s is already safe for a terminal: Terminal(s) == s.
func Clean(s string) bool { return Terminal(s) == s }
