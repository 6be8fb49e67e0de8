package cli

import (
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// TestE2ENameStartsWithMark: a name that starts with a combining mark (an
// accent typed alone) would join the quote or column before it wherever it
// is shown; pair and add refuse it as a usage error, before any challenge.
func TestE2ENameStartsWithMark(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	for _, name := range []string{"\u0301", "\u0301" + e.name("x"), "\u20dd" + e.name("y")} {
		r := e.run(strings.NewReader("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI=\n"), "add", "--no-verify", "--", name)
		if r.code != 2 || !strings.Contains(r.stderr, "combining mark") {
			t.Errorf("add %q: exit %d %q", name, r.code, r.stderr)
		}
		if r := e.pair([]string{rightCode}, "pair", "--", name); r.code != 2 {
			t.Errorf("pair %q: exit %d %q", name, r.code, r.stderr)
		}
	}
	if n := e.srv.Challenges(); n != 0 {
		t.Errorf("%d challenges spent on refused names", n)
	}
	if r := e.run(strings.NewReader("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI=\n"), "add", "--no-verify", e.name("e\u0301")); r.code != 0 {
		t.Errorf("a mark after a letter is fine: exit %d %q", r.code, r.stderr)
	}
}
