package mcpconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/tailscale/hujson"
)

// MaxParseSize is the largest file anykey parses into a tree (hujson, to
// edit it, or to read a JSONC file): such a tree costs about 60 times the
// file in memory for a file dense with small values (16 MB: ~1 GB). A
// client's settings are kilobytes. Strict JSON files are read for their
// status up to [MaxFileSize] without a tree ([currentStrictJSON]): Claude
// Code's ~/.claude.json keeps history and grows to megabytes.
const MaxParseSize = 8 << 20

// errTooLargeToParse is a file over [MaxParseSize]; it wraps [ErrTooLarge].
var errTooLargeToParse = fmt.Errorf("%w than %d MB, the most anykey parses to edit a settings file (or read one with comments)", errTooLargeBase, MaxParseSize>>20)

// currentStrictJSON is [currentJSON] for a strict JSON file, read with
// encoding/json's streaming Decoder: the top level and the container are
// walked, and every other value is skipped as raw bytes, so memory stays
// near the file's size. Only the entry itself is parsed into a tree. Names
// are compared exactly, and a name given twice is refused, as in
// [container].
func currentStrictJSON(c Client, data []byte) (*Entry, error) {
	if err := checkDepth(data, c.Format); err != nil {
		return nil, err
	}
	if !json.Valid(data) {
		var v any
		err := json.Unmarshal(data, &v)
		return nil, fmt.Errorf("%w as strict JSON (%v)", ErrParse, err)
	}
	members := func(raw []byte, name, where string, top bool) (json.RawMessage, error) {
		dec := json.NewDecoder(bytes.NewReader(raw))
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			if top {
				return nil, fmt.Errorf("%w: the top level is not an object", ErrParse)
			}
			return nil, fmt.Errorf("%w: %q is not an object", ErrParse, c.Container)
		}
		var found json.RawMessage
		n := 0
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				return nil, fmt.Errorf("%w (%v)", ErrParse, err)
			}
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil, fmt.Errorf("%w (%v)", ErrParse, err)
			}
			if k, _ := t.(string); k == name {
				found, n = v, n+1
			}
		}
		if n > 1 {
			return nil, fmt.Errorf("%w: %q appears %d times %s; keep one and delete the others", ErrParse, name, n, where)
		}
		return found, nil
	}
	cont, err := members(data, c.Container, "at the top level", true)
	if err != nil || cont == nil {
		return nil, err
	}
	raw, err := members(cont, ServerName, "in "+strconv.Quote(c.Container), false)
	if err != nil || raw == nil {
		return nil, err
	}
	v, err := hujson.Parse(raw)
	if err != nil {
		return nil, errors.Join(ErrParse, err)
	}
	return decodeEntry(v)
}
