//go:build linux || freebsd || openbsd || netbsd

package tray

import (
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// TestMenuLabelShownExactly: whatever a name holds, a dbusmenu host shows
// it unchanged.
func TestMenuLabelShownExactly(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"my_work_key", "a__b", "_lead", "trail_", "___", "no underscores", `Pairing "x_y"…`, "日本_語"} {
		if got := desktoptest.ShownLabel(menuLabel(s)); got != s {
			t.Errorf("%q is sent as %q and shown as %q", s, menuLabel(s), got)
		}
	}
}
