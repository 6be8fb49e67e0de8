package mcpconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tailscale/hujson"
)

// ErrParse is wrapped by errors about a config file that does not parse in
// its own format, or does not have the structure its client expects.
var ErrParse = errors.New("does not parse")

// ErrLayout is wrapped when the entry is written in a way anykey does not
// edit (for example Codex's dotted keys); the user edits such a file by hand.
var ErrLayout = errors.New("written in a layout anykey does not edit")

// current returns the entry under [ServerName] in a JSON or JSONC file's
// container, or nil. data must be non-blank.
func currentJSON(c Client, data []byte) (*Entry, error) {
	if c.Format == JSON {
		return currentStrictJSON(c, data)
	}
	root, err := parseJSON(c, data)
	if err != nil {
		return nil, err
	}
	cont, _, err := container(c, root)
	if err != nil || cont == nil {
		return nil, err
	}
	i := member(cont, ServerName)
	if i < 0 {
		return nil, nil
	}
	return decodeEntry(cont.Members[i].Value)
}

// parseJSON parses data as c's format and returns its root object.
func parseJSON(c Client, data []byte) (*hujson.Value, error) {
	if len(data) > MaxParseSize {
		return nil, errTooLargeToParse
	}
	if err := checkDepth(data, c.Format); err != nil {
		return nil, err
	}
	if c.Format == JSON && !json.Valid(data) {
		// Say where, with encoding/json's own message.
		var v any
		err := json.Unmarshal(data, &v)
		return nil, fmt.Errorf("%w as strict JSON (%v)", ErrParse, err)
	}
	v, err := hujson.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w as JSON with comments (%v)", ErrParse, err)
	}
	if _, ok := v.Value.(*hujson.Object); !ok {
		return nil, fmt.Errorf("%w: the top level is not an object", ErrParse)
	}
	return &v, nil
}

// container returns the servers object, nil when absent, and its index.
// A name that appears twice — the container, or [ServerName] in it — is an
// error: JSON parsers disagree on which one counts (JavaScript's takes the
// last), so anykey could edit one while the client reads the other.
func container(c Client, root *hujson.Value) (*hujson.Object, int, error) {
	obj := root.Value.(*hujson.Object)
	if err := once(obj, c.Container, "at the top level"); err != nil {
		return nil, -1, err
	}
	i := member(obj, c.Container)
	if i < 0 {
		return nil, -1, nil
	}
	cont, ok := obj.Members[i].Value.Value.(*hujson.Object)
	if !ok {
		return nil, i, fmt.Errorf("%w: %q is not an object", ErrParse, c.Container)
	}
	if err := once(cont, ServerName, "in "+strconv.Quote(c.Container)); err != nil {
		return nil, i, err
	}
	return cont, i, nil
}

// once fails when obj has more than one member called name.
func once(obj *hujson.Object, name, where string) error {
	n := 0
	for _, m := range obj.Members {
		if lit, ok := m.Name.Value.(hujson.Literal); ok && lit.String() == name {
			n++
		}
	}
	if n > 1 {
		return fmt.Errorf("%w: %q appears %d times %s; keep one and delete the others", ErrParse, name, n, where)
	}
	return nil
}

func member(obj *hujson.Object, name string) int {
	for i, m := range obj.Members {
		if lit, ok := m.Name.Value.(hujson.Literal); ok && lit.String() == name {
			return i
		}
	}
	return -1
}

// decodeEntry reads command, args and env of an entry object; other fields
// are ignored. An entry that is not an object is a foreign entry with no
// command. Names are matched exactly, as the clients (JavaScript, Rust)
// read them: encoding/json's struct decoding would also take "Command" or
// "ARGS", which no client runs (issue 21).
func decodeEntry(v hujson.Value) (*Entry, error) {
	v = v.Clone()
	v.Standardize()
	e := &Entry{raw: v.Pack()}
	var fields map[string]json.RawMessage
	if json.Unmarshal(e.raw, &fields) != nil {
		return e, nil
	}
	var raw struct {
		Command any
		Args    []any
		Env     map[string]any
	}
	// Each value on its own: a wrong type in one leaves the others read.
	_ = json.Unmarshal(fields["command"], &raw.Command)
	_ = json.Unmarshal(fields["args"], &raw.Args)
	_ = json.Unmarshal(fields["env"], &raw.Env)
	e.Command, _ = raw.Command.(string)
	for _, a := range raw.Args {
		s, _ := a.(string)
		e.Args = append(e.Args, s)
	}
	if len(raw.Env) > 0 {
		e.Env = map[string]string{}
		for k, val := range raw.Env {
			s, _ := val.(string)
			e.Env[k] = s
		}
	}
	return e, nil
}

// indentUnit guesses the file's indentation from its first indented line.
func indentUnit(data []byte) string {
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		if n := len(line) - len(trimmed); n > 0 && trimmed != "" {
			if line[0] == '\t' {
				return "\t"
			}
			return line[:min(n, 8)]
		}
	}
	return "  "
}

// editJSON returns data with the entry set to e, or removed when e is nil.
// Comments, formatting, other servers and other keys are kept; only the
// entry's own lines are written in the file's indentation.
func editJSON(c Client, data []byte, e *Entry) ([]byte, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		if e == nil {
			return data, nil
		}
		return c.Snippet(*e), nil
	}
	root, err := parseJSON(c, data)
	if err != nil {
		return nil, err
	}
	cont, ci, err := container(c, root)
	if err != nil {
		return nil, err
	}
	unit := indentUnit(data)
	path := "/" + c.Container + "/" + ServerName
	switch {
	case e == nil && (cont == nil || member(cont, ServerName) < 0):
		return data, nil
	case e == nil:
		err = root.Patch(patchOp("remove", path, nil))
	case cont == nil:
		val := marshal(map[string]any{ServerName: c.Shape(*e)}, unit, unit)
		if err = root.Patch(patchOp("add", "/"+c.Container, val)); err == nil {
			err = layout(root.Value.(*hujson.Object), c.Container, val, 0, unit)
		}
	default:
		val := marshal(c.Shape(*e), strings.Repeat(unit, 2), unit)
		existed := member(cont, ServerName) >= 0
		if err = root.Patch(patchOp("add", path, val)); err == nil && !existed {
			cont = root.Value.(*hujson.Object).Members[ci].Value.Value.(*hujson.Object)
			err = layout(cont, ServerName, val, 1, unit)
		} else if err == nil {
			cont = root.Value.(*hujson.Object).Members[ci].Value.Value.(*hujson.Object)
			err = setValue(cont, ServerName, val)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("editing the file: %w", err)
	}
	out := root.Pack()
	return out, checkJSON(c, out, e)
}

func patchOp(op, path string, value []byte) []byte {
	p := map[string]any{"op": op, "path": path}
	if value != nil {
		p["value"] = json.RawMessage(value)
	}
	b, _ := json.Marshal([]any{p})
	return b
}

// setValue puts the pretty-printed val in place of member name's value.
func setValue(obj *hujson.Object, name string, val []byte) error {
	i := member(obj, name)
	nv, err := hujson.Parse(val)
	if err != nil {
		return err
	}
	nv.BeforeExtra = hujson.Extra(" ")
	nv.AfterExtra = obj.Members[i].Value.AfterExtra
	obj.Members[i].Value = nv
	return nil
}

// layout gives a member that a patch appended its own line at the
// object's depth, and a line break before the closing brace.
func layout(obj *hujson.Object, name string, val []byte, depth int, unit string) error {
	if err := setValue(obj, name, val); err != nil {
		return err
	}
	i := member(obj, name)
	m := &obj.Members[i]
	before := strings.TrimRight(string(m.Name.BeforeExtra), " \t")
	if !strings.HasSuffix(before, "\n") {
		before += "\n"
	}
	m.Name.BeforeExtra = hujson.Extra(before + strings.Repeat(unit, depth+1))
	if i == len(obj.Members)-1 && !bytes.Contains(obj.AfterExtra, []byte("\n")) {
		obj.AfterExtra = hujson.Extra("\n" + strings.Repeat(unit, depth))
	}
	return nil
}

// checkJSON re-reads out and confirms it holds exactly the intended entry.
func checkJSON(c Client, out []byte, want *Entry) error {
	got, err := currentJSON(c, out)
	if err != nil {
		return fmt.Errorf("the edited file would not parse: %w", err)
	}
	if !sameEntry(got, want) {
		return errors.New("the edited file does not hold the intended entry")
	}
	return nil
}

// sameEntry compares command, args and env.
func sameEntry(a, b *Entry) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ja, _ := json.Marshal(plainShape(*a))
	jb, _ := json.Marshal(plainShape(*b))
	return bytes.Equal(ja, jb) && slices.Equal(a.EnvVars, b.EnvVars)
}
