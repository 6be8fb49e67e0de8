//go:build unix

package desktoptest

import (
	"time"

	"github.com/godbus/dbus/v5"
)

// UnlockGnomeKeyring unlocks gnome-keyring's collection at path with its
// password, without a prompt: the way a login does it, through
// gnome-keyring's own UnlockWithMasterPassword (its
// org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface, which takes
// the password as a Secret in a "plain" session). It waits until the
// collection reports unlocked.
func (b *PrivateBus) UnlockGnomeKeyring(path dbus.ObjectPath, password string) {
	b.t.Helper()
	svc := b.Conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var out dbus.Variant
	var session dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&out, &session); err != nil {
		b.t.Fatalf("opening a Secret Service session: %v", err)
	}
	defer b.Conn.Object("org.freedesktop.secrets", session).Call("org.freedesktop.Secret.Session.Close", 0)
	secret := struct {
		Session     dbus.ObjectPath
		Parameters  []byte
		Value       []byte
		ContentType string
	}{session, []byte{}, []byte(password), "text/plain"}
	if err := svc.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.UnlockWithMasterPassword", 0, path, secret).Err; err != nil {
		b.t.Fatalf("unlocking %s: %v", path, err)
	}
	WaitUntil(b.t, 10*time.Second, string(path)+" to unlock", func() bool { return !b.Locked(path) })
}
