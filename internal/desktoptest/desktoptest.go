// Package desktoptest lets tests use the real desktop components that
// scripts/desktop-session.sh starts (Xvfb or headless sway, a private D-Bus
// session bus, gnome-keyring or KeePassXC, dunst, a StatusNotifierItem
// host), with input and clipboard tools chosen by session type ([Wayland]). Tests call [Require]:
// it skips when the component is absent, and fails instead when the CI
// environment variable is set, so CI can never pass by skipping.
package desktoptest

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
)

// Component names a piece of the desktop session.
type Component string

const (
	Display       Component = "display"       // an X server ($DISPLAY) or a Wayland compositor ($WAYLAND_DISPLAY)
	SessionBus    Component = "bus"           // $DBUS_SESSION_BUS_ADDRESS answers
	SecretService Component = "secrets"       // org.freedesktop.secrets on the bus
	Notifications Component = "notifications" // org.freedesktop.Notifications on the bus
	TrayHost      Component = "tray"          // org.kde.StatusNotifierWatcher on the bus
)

var busNames = map[Component]string{
	SecretService: "org.freedesktop.secrets",
	Notifications: "org.freedesktop.Notifications",
	TrayHost:      "org.kde.StatusNotifierWatcher",
}

// InCI reports whether the tests run in CI (CI is set and not "false").
func InCI() bool { v := os.Getenv("CI"); return v != "" && v != "false" && v != "0" }

// Require skips the test unless every component is present; under CI it
// fails instead. Inside scripts/desktop-session.sh a missing Secret Service
// fails the test with a message that the keyring daemon died, and a test
// that requires the Secret Service is watched by [WatchKeyring].
func Require(t testing.TB, cs ...Component) {
	t.Helper()
	if missing := Missing(cs...); missing != "" {
		if missing == SecretService && sessionStartedKeyring() {
			t.Fatal(keyringGone())
		}
		if InCI() {
			t.Fatalf("CI is set but the desktop session lacks %s: run the tests through scripts/test.sh", missing)
		}
		t.Skipf("no %s here (run through scripts/test.sh for the real desktop tests)", missing)
	}
	if slices.Contains(cs, SecretService) {
		WatchKeyring(t)
	}
}

// Missing returns the first absent component, or "". On Windows every
// component is absent: they are the Linux session's pieces (X11 or Wayland
// with xdotool and xclip, D-Bus services), which Windows does not have.
func Missing(cs ...Component) Component {
	for _, c := range cs {
		if runtime.GOOS == "windows" {
			return c
		}
		switch c {
		case Display:
			if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
				return c
			}
		default:
			if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
				return SessionBus
			}
			if c == SessionBus {
				continue
			}
			if !hasOwner(busNames[c]) {
				return c
			}
		}
	}
	return ""
}

func hasOwner(name string) bool {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	var ok bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&ok); err != nil {
		return false
	}
	return ok
}

// SecretServiceProvider names the program that owns org.freedesktop.secrets
// on the session bus: its /proc/PID/comm, e.g. "gnome-keyring-d" or
// "keepassxc". It returns "" when there is no bus or no owner.
func SecretServiceProvider() string {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return ""
	}
	defer conn.Close()
	var pid uint32
	if err := conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, busNames[SecretService]).Store(&pid); err != nil {
		return ""
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(comm))
}
