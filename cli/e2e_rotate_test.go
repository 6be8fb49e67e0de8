package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// TestE2ERotate: the real binary replaces a key in the real Secret
// Service under the same name, and keeps the old one when it fails.
func TestE2ERotate(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{NeedsApproval: true, ApproveAfter: 20 * time.Millisecond, Whoami: true, PrefixedKeys: true})
	name := e.name("rot")
	if r := e.pair([]string{rightCode}, "pair", name); r.code != 0 {
		t.Fatalf("pair: %s", r.stderr)
	}
	old := e.srv.Keys()[0]

	// Cancelled (end of input after an empty line): the old key stays.
	if r := e.pair([]string{""}, "rotate", name); r.code != 1 || !strings.Contains(r.stderr, "pairing cancelled") {
		t.Errorf("cancelled rotate: exit %d\n%s", r.code, r.stderr)
	}
	if got := keyring(t, name); got != old {
		t.Fatalf("a cancelled rotation changed the saved key")
	}
	// Its challenge was never read by the helper: skip it, so the next
	// helper call types the code of the next one. (Asking again replaces
	// the approved, unsolved one in Anytype, as newer heart does.)
	if _, _, err := e.srv.WaitChallenge(t.Context()); err != nil {
		t.Fatal(err)
	}

	if desktoptest.SecretServiceProvider() == "keepassxc" {
		// KeePassXC 2.7 asks before a process replaces an item it did not
		// create (see TestE2EPair): answer its Access Request.
		desktoptest.LockGUI(t)
		go desktoptest.TypeIntoWindow(t.Context(), "Access Request$", "", "Return")
	}
	r := e.pair([]string{rightCode}, "rotate", name)
	if r.code != 0 || !strings.Contains(r.stderr, "replaced key") || !strings.Contains(r.stderr, "revoke the older of the two keys") {
		t.Fatalf("rotate: exit %d\n%s", r.code, r.stderr)
	}
	keys := e.srv.Keys()
	if got := keyring(t, name); len(keys) != 2 || got != keys[1] {
		t.Errorf("the Secret Service does not hold the new key")
	}
	noSecrets(t, "stderr", r.stderr, keys...)
	if n := e.srv.Challenges(); n != 3 {
		t.Errorf("%d challenges, want 3 (pair, the cancelled rotate, rotate)", n)
	}
}
