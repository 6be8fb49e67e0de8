package auth

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Grant is what newer servers say a key may do.
type Grant struct {
	AllSpaces  bool     `json:"all_spaces"`
	SpaceIDs   []string `json:"space_ids,omitempty"`
	Permission string   `json:"permission,omitempty"`
}

// Key is a minted API key. Its String and Format methods never show Secret,
// and neither does encoding it as JSON; so log/slog's handlers, which print
// a value through fmt or encoding/json, never show it either. (No LogValue
// method: it would link log/slog into every anykey binary for nothing —
// docs/performance.md, binary size.)
type Key struct {
	Secret     string `json:"-"`
	Grant      *Grant
	APIVersion string
}

// String shows the key with its secret redacted.
func (k Key) String() string {
	g := "none"
	if k.Grant != nil {
		g = fmt.Sprintf("%+v", *k.Grant)
	}
	return fmt.Sprintf("auth.Key{Secret:[redacted] Grant:%s APIVersion:%q}", g, k.APIVersion)
}

// GoString is String, so %#v redacts too.
func (k Key) GoString() string { return k.String() }

// Format makes every verb (%v, %+v, %#v, %s, %q, %x, …) print [Key.String].
func (k Key) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", k.String())
		return
	}
	fmt.Fprint(f, k.String())
}

// ErrKeyCharacters: a pasted key still holds characters outside printable
// ASCII after [CleanPastedKey] trimmed its ends. Anytype's keys (base64, or
// anytype_<alphanumerics>_<hex>) never do.
var ErrKeyCharacters = errors.New("the key contains characters that are not printable ASCII")

// ErrKeyTooLong: a pasted key is longer than any key Anytype makes
// (MaxKeyLen): a whole file or a clipboard of something else.
var ErrKeyTooLong = errors.New("that is too long to be an Anytype key")

// MaxKeyLen is the longest key anykey accepts, in bytes: real keys are 44
// (base64) or about 70 (anytype_…) characters, and keys are otherwise
// opaque, so this leaves room.
const MaxKeyLen = maxKeyLen

// CleanPastedKey returns a key as pasted or piped, without what editors,
// terminals and web pages add around it: a byte-order mark, zero-width and
// other invisible format characters, and white space (also no-break space
// and CR LF) at either end. A key that then still holds anything outside
// printable ASCII (0x21–0x7E) is refused with an error wrapping
// [ErrKeyCharacters] that names the first such character and its position,
// never the key; one longer than [MaxKeyLen] with an error wrapping
// [ErrKeyTooLong]. An empty result is "" with a nil error.
func CleanPastedKey(s string) (string, error) {
	trim := func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError }
	s = strings.TrimFunc(s, trim)
	if len(s) > maxKeyLen {
		return "", fmt.Errorf("%w (%d bytes, Anytype's keys are under 100)", ErrKeyTooLong, len(s))
	}
	for i, r := range []rune(s) {
		if r < 0x21 || r > 0x7e {
			what := fmt.Sprintf("U+%04X", r)
			if r == utf8.RuneError {
				what = "an invalid byte"
			}
			return "", fmt.Errorf("%w: %s at character %d", ErrKeyCharacters, what, i+1)
		}
	}
	return s, nil
}
