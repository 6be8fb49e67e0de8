package mcpconfig

import (
	"bytes"
	"fmt"
)

// MaxDepth is how deeply arrays and objects (JSON, JSONC) or arrays and
// inline tables (TOML) may nest in a config file anykey reads. The clients'
// own settings nest a handful of levels; the parsers (hujson, go-toml)
// recurse once per level, so a file nested a million levels deep — 3 MB of
// brackets — overflowed the goroutine stack and took anykey, and the tray
// at start-up, down with it (issue 21), and a 1 MB one cost 960 MB.
const MaxDepth = 100

// checkDepth refuses data nesting deeper than [MaxDepth], before any parser
// sees it. It only counts brackets outside strings and comments (the
// lexical rules of JSONC — "…" with \ escapes, // and /* */ comments — or of
// TOML — basic strings, single-line or triple-quoted, with escapes,
// literal ones without, # comments),
// in one pass with no allocation; it does not check the syntax, which the
// parser then does.
func checkDepth(data []byte, f Format) error {
	depth, max := 0, 0
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case c == '[' || c == '{':
			depth++
			if depth > max {
				max = depth
				if max > MaxDepth {
					return fmt.Errorf("%w: nested more than %d levels deep (at byte %d); no client's settings are", ErrParse, MaxDepth, i)
				}
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		case c == '"' && f == TOML && bytes.HasPrefix(data[i:], []byte(`"""`)):
			i = quotesAfter(data, skipPast(data, i+3, `"""`, true), '"')
		case c == '\'' && f == TOML && bytes.HasPrefix(data[i:], []byte(`'''`)):
			i = quotesAfter(data, skipPast(data, i+3, `'''`, false), '\'')
		case c == '\'' && f == TOML:
			i = skipPast(data, i+1, `'`, false)
		case c == '"':
			i = skipPast(data, i+1, `"`, true)
		case c == '#' && f == TOML, c == '/' && f != TOML && i+1 < len(data) && data[i+1] == '/':
			i = skipPast(data, i+1, "\n", false)
		case c == '/' && f != TOML && i+1 < len(data) && data[i+1] == '*':
			i = skipPast(data, i+2, "*/", false)
		}
	}
	return nil
}

// skipPast returns the index of the last byte of the first end at or after
// from (skipping a byte after each backslash when escapes is set), or the
// last index of data when there is none.
func skipPast(data []byte, from int, end string, escapes bool) int {
	for i := from; i < len(data); i++ {
		if escapes && data[i] == '\\' {
			i++
			continue
		}
		if bytes.HasPrefix(data[i:], []byte(end)) {
			return i + len(end) - 1
		}
	}
	return len(data) - 1
}

// quotesAfter returns end (the last byte of a TOML multi-line string's
// closing three quotes) moved past up to two more q: such a string may end
// in one or two quotes of its own, written just before its closing three
// (TOML 1.0: """x"""" is `x"`), so it ends at the last three of a run of
// four or five.
func quotesAfter(data []byte, end int, q byte) int {
	for n := 0; n < 2 && end+1 < len(data) && data[end+1] == q; n++ {
		end++
	}
	return end
}
