package mcpconfig

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// tomlEntry is Codex's [mcp_servers.NAME] table; env is written inline so
// the whole entry is one table.
type tomlEntry struct {
	Command string            `toml:"command"`
	Args    []string          `toml:"args"`
	Env     map[string]string `toml:"env,inline,omitempty"`
	EnvVars []string          `toml:"env_vars,omitempty"`
}

// tomlTable is e as Codex's table, with a final newline.
func tomlTable(e Entry) []byte {
	b, err := toml.Marshal(tomlEntry{Command: e.Command, Args: nonNil(e.Args), Env: e.Env, EnvVars: e.EnvVars})
	if err != nil {
		// Strings only: marshalling cannot fail.
		panic(err)
	}
	return append([]byte("[mcp_servers."+ServerName+"]\n"), b...)
}

// currentTOML returns Codex's entry, or nil.
func currentTOML(data []byte) (*Entry, error) {
	if err := checkDepth(data, TOML); err != nil {
		return nil, err
	}
	// A map, not a struct: go-toml matches struct fields case-insensitively,
	// and Codex reads "mcp_servers" exactly.
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w as TOML (%v)", ErrParse, err)
	}
	servers, _ := doc["mcp_servers"].(map[string]any)
	v, ok := servers[ServerName]
	if !ok {
		return nil, nil
	}
	t, _ := v.(map[string]any)
	e := &Entry{}
	if sp, ok, err := anytypeSpan(data); err == nil && ok {
		e.raw = data[sp.start:sp.end]
	}
	e.Command, _ = t["command"].(string)
	args, _ := t["args"].([]any)
	for _, a := range args {
		s, _ := a.(string)
		e.Args = append(e.Args, s)
	}
	vars, _ := t["env_vars"].([]any)
	for _, v := range vars {
		s, _ := v.(string)
		e.EnvVars = append(e.EnvVars, s)
	}
	if env, ok := t["env"].(map[string]any); ok && len(env) > 0 {
		e.Env = map[string]string{}
		for k, val := range env {
			s, _ := val.(string)
			e.Env[k] = s
		}
	}
	return e, nil
}

// span is a byte range of the file.
type span struct{ start, end int }

// anytypeSpan finds the lines of [mcp_servers.anytype] and its sub-tables:
// from the first header to the next other header (or the end), leaving out
// the comment lines just above that next header, which describe it. ok is
// false when the entry is absent.
func anytypeSpan(data []byte) (sp span, ok bool, err error) {
	if err := checkDepth(data, TOML); err != nil {
		return span{}, false, err
	}
	p := unstable.Parser{KeepComments: true}
	p.Reset(data)
	var headers []struct {
		start int
		ours  bool
	}
	var table []string
	ourPrefix := []string{"mcp_servers", ServerName}
	for p.NextExpression() {
		n := p.Expression()
		switch n.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyParts(n)
			it := n.Key()
			it.Next()
			start := lineStart(data, int(it.Node().Raw.Offset))
			headers = append(headers, struct {
				start int
				ours  bool
			}{start, hasPrefix(table, ourPrefix)})
		case unstable.KeyValue:
			full := append(slices.Clone(table), keyParts(n)...)
			if hasPrefix(full, ourPrefix) && !hasPrefix(table, ourPrefix) {
				return span{}, false, fmt.Errorf("%w: [mcp_servers.%s] is set with dotted keys or an inline table", ErrLayout, ServerName)
			}
		}
	}
	if err := p.Error(); err != nil {
		return span{}, false, fmt.Errorf("%w as TOML (%v)", ErrParse, err)
	}
	first, last := -1, -1
	for i, h := range headers {
		if h.ours {
			if first >= 0 && last != i-1 {
				return span{}, false, fmt.Errorf("%w: the tables of [mcp_servers.%s] are not together", ErrLayout, ServerName)
			}
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return span{}, false, nil
	}
	end := len(data)
	if last+1 < len(headers) {
		end = commentsAbove(data, headers[last+1].start)
	}
	return span{headers[first].start, end}, true, nil
}

func keyParts(n *unstable.Node) []string {
	var parts []string
	it := n.Key()
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return parts
}

func hasPrefix(s, prefix []string) bool {
	return len(s) >= len(prefix) && slices.Equal(s[:len(prefix)], prefix)
}

// lineStart is the offset of the start of the line holding off.
func lineStart(data []byte, off int) int {
	return bytes.LastIndexByte(data[:off], '\n') + 1
}

// commentsAbove moves start up over the comment lines right above it.
func commentsAbove(data []byte, start int) int {
	for start > 0 {
		prev := lineStart(data, start-1)
		if line := bytes.TrimSpace(data[prev:start]); len(line) == 0 || line[0] != '#' {
			break
		}
		start = prev
	}
	return start
}

// editTOML returns Codex's config with the entry set to e, or removed when
// e is nil. Only the entry's own table is written; the rest of the file,
// comments included, is kept byte for byte.
func editTOML(data []byte, e *Entry) ([]byte, error) {
	if _, err := currentTOML(data); err != nil {
		return nil, err
	}
	sp, found, err := anytypeSpan(data)
	if err != nil {
		return nil, err
	}
	var out []byte
	switch {
	case e == nil && !found:
		return data, nil
	case e == nil:
		head := data[:sp.start]
		if sp.end == len(data) {
			// Drop the blank line Install put before an appended table.
			head = bytes.TrimSuffix(head, []byte("\n"))
			if !bytes.HasSuffix(head, []byte("\n")) && len(head) > 0 {
				head = append(slices.Clone(head), '\n')
			}
		}
		out = append(slices.Clone(head), data[sp.end:]...)
	case found:
		table := tomlTable(*e)
		if sp.end < len(data) {
			table = append(table, '\n')
		}
		out = append(append(slices.Clone(data[:sp.start]), table...), data[sp.end:]...)
	default:
		out = slices.Clone(data)
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		if len(bytes.TrimSpace(out)) > 0 {
			out = append(out, '\n')
		}
		out = append(out, tomlTable(*e)...)
	}
	got, err := currentTOML(out)
	if err != nil {
		return nil, fmt.Errorf("the edited file would not parse: %w", err)
	}
	if !sameEntry(got, e) {
		return nil, errors.New("the edited file does not hold the intended entry")
	}
	return out, nil
}
