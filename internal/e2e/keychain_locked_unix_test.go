//go:build unix

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// TestFaultKeychainLocked: the login collection is locked and no prompter
// exists to unlock it; get and pair must end with a clear message, and pair
// must say so before it spends a challenge.
func TestFaultKeychainLocked(t *testing.T) {
	desktoptest.Require(t, desktoptest.SessionBus)
	t.Parallel()
	// A keyring of the test's own, so locking it does not break tests in
	// other packages that share the session's keyring.
	pb := desktoptest.StartPrivateBus(t, "gnome-keyring-daemon")
	pb.StartKeyring()
	bus, conn := pb.Addr, pb.Conn
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	s.setenv("DBUS_SESSION_BUS_ADDRESS", bus)
	name, _ := pairOne(t, s, fake, "locked")

	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err := svc.Call("org.freedesktop.Secret.Service.Lock", 0,
		[]dbus.ObjectPath{"/org/freedesktop/secrets/collection/login"}).Store(&locked, &prompt)
	if err != nil || len(locked) != 1 {
		t.Fatalf("locking the login collection: %v (locked %v)", err, locked)
	}
	before := stat(t, s.index())
	r := s.runWith(runOpts{exempt: true}, "", "get", name)
	wantFailure(t, r, 1, `keychain`)
	t.Logf("get on a locked keychain: %s after %s", firstLine(r.stderr), r.took.Round(time.Millisecond))

	challenges := fake.Challenges()
	r = s.run("", "pair", s.name("locked2"))
	wantFailure(t, r, 1, `the keychain is locked`)
	if !strings.Contains(r.stderr, "unlock") || r.stdout != "" {
		t.Errorf("no way to unlock named, or output on stdout:\n%s", r)
	}
	if fake.Challenges() != challenges {
		t.Errorf("a challenge was spent on a locked keychain")
	}
	sameFile(t, s.index(), before)
	t.Logf("pair on a locked keychain: %s after %s", firstLine(r.stderr), r.took.Round(time.Millisecond))
}
