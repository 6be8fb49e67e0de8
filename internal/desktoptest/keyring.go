package desktoptest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/godbus/dbus/v5"
)

// secretsOwner is who serves org.freedesktop.secrets on the session bus: the
// bus's unique connection name and the process ID behind it.
type secretsOwner struct {
	name string // unique bus name, e.g. ":1.4"; "" when nobody owns it
	pid  uint32 // 0 when unknown
}

// ownerOfSecrets asks the session bus who owns org.freedesktop.secrets.
// The error is about reaching the bus itself; a missing owner is not one.
func ownerOfSecrets() (secretsOwner, error) {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return secretsOwner{}, err
	}
	defer conn.Close()
	var o secretsOwner
	bus := conn.BusObject()
	if err := bus.Call("org.freedesktop.DBus.GetNameOwner", 0, busNames[SecretService]).Store(&o.name); err != nil {
		return secretsOwner{}, nil // NameHasNoOwner
	}
	_ = bus.Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, o.name).Store(&o.pid)
	return o, nil
}

// KeyringAlive reports whether the session bus still has a Secret Service
// (an owner of org.freedesktop.secrets).
func KeyringAlive() bool {
	o, err := ownerOfSecrets()
	return err == nil && o.name != ""
}

// WatchKeyring notes which process serves the Secret Service now and, if t
// has failed by the time it ends, says whether that process died or was
// replaced during the test: a keyring daemon that crashed under a test
// makes its failures the environment's, not the code's, and the test log
// then says so and where the daemon's log is. [Require] calls it for every
// test that needs the Secret Service. Without one it does nothing.
func WatchKeyring(t testing.TB) {
	t.Helper()
	before, err := ownerOfSecrets()
	if err != nil || before.name == "" {
		return
	}
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		now, err := ownerOfSecrets()
		switch {
		case err != nil:
			t.Errorf("desktoptest: the session bus itself is gone (%v): the failures above are the desktop session's, not the code's%s", err, keyringLogHint())
		case now.name != before.name:
			what := "died during this test"
			if now.name != "" {
				what = fmt.Sprintf("was replaced by %s (pid %d) during this test", now.name, now.pid)
			}
			t.Errorf("desktoptest: the Secret Service (%s, pid %d) %s: the failures above are the desktop session's, not the code's%s",
				before.name, before.pid, what, keyringLogHint())
		}
	})
}

// sessionStartedKeyring reports whether the bus in DBUS_SESSION_BUS_ADDRESS
// is that of a scripts/desktop-session.sh run which started gnome-keyring
// (it logs to logs/gnome-keyring.log in its run dir only then).
func sessionStartedKeyring() bool {
	dir := os.Getenv("DESKTOP_SESSION_DIR")
	if dir == "" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "unix:path="+filepath.Join(dir, "bus") {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, "logs", "gnome-keyring.log"))
	return err == nil
}

// keyringGone is the message of [Require] for a Secret Service missing
// inside a desktop session, which starts one: it was there and died.
func keyringGone() string {
	return "the desktop session's Secret Service is gone: gnome-keyring-daemon died (an environment failure, not the code's)" + keyringLogHint()
}

// keyringLogHint points at the session's keyring log, when there is one.
func keyringLogHint() string {
	dir := os.Getenv("DESKTOP_SESSION_DIR")
	if dir == "" {
		return ""
	}
	return fmt.Sprintf("; its log: %s (scripts/test.sh keeps it after a failed run)",
		filepath.Join(dir, "logs", "gnome-keyring.log"))
}
