package auth

import (
	"fmt"
	"log/slog"
)

// Grant is what newer servers say a key may do.
type Grant struct {
	AllSpaces  bool     `json:"all_spaces"`
	SpaceIDs   []string `json:"space_ids,omitempty"`
	Permission string   `json:"permission,omitempty"`
}

// Key is a minted API key. Its String and Format methods never show Secret,
// and neither does encoding it as JSON or logging it with log/slog.
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

// LogValue keeps the secret out of structured logs.
func (k Key) LogValue() slog.Value {
	return slog.GroupValue(slog.String("secret", "[redacted]"), slog.String("api_version", k.APIVersion))
}
