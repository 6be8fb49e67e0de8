package cli

import (
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// TestE2EClearDelaySays: a clear delay that is misspelt is called that,
// in --clear-after and ANYKEY_CLIP_TIME; "longer than 24h" only for one
// that is.
func TestE2EClearDelaySays(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	for in, want := range map[string]string{"0.5": "not a number", "1e3": "not a number", "0x10": "not a number",
		"9999999999h": "longer than 24h"} {
		r := e.run(nil, "copy", e.name("k"), "--clear-after", in)
		if r.code != 2 || !strings.Contains(r.stderr, want) {
			t.Errorf("--clear-after %q: exit %d %q, want %q", in, r.code, r.stderr, want)
		}
		ee := *e
		ee.extra = []string{"ANYKEY_CLIP_TIME=" + in}
		r = ee.run(nil, "copy", e.name("k"))
		if r.code != 2 || !strings.Contains(r.stderr, want) {
			t.Errorf("ANYKEY_CLIP_TIME=%q: exit %d %q, want %q", in, r.code, r.stderr, want)
		}
	}
}
