//go:build unix

package desktoptest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// PrivateBus is a session bus of one test's own, for faults that would
// disturb every other test on the shared session (locking the keyring, no
// notification daemon, a tray host that starts late). Daemons started on it
// live until the test ends.
type PrivateBus struct {
	Addr string     // DBUS_SESSION_BUS_ADDRESS of the bus
	Dir  string     // the bus's run directory (XDG_DATA_HOME of its daemons is Dir/data)
	Conn *dbus.Conn // the test's own connection, closed at the end of the test
	t    testing.TB
}

// StartPrivateBus starts a dbus-daemon with a private config (no service
// activation, eavesdropping allowed for monitors). The tools a test needs
// besides dbus-daemon are named in tools; when one is missing the test
// skips, or fails when CI is set, as [Require] does.
func StartPrivateBus(t testing.TB, tools ...string) *PrivateBus {
	t.Helper()
	for _, tool := range append([]string{"dbus-daemon"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			if InCI() {
				t.Fatalf("CI is set but %s is not installed: run the tests through scripts/test.sh", tool)
			}
			t.Skipf("no %s here", tool)
		}
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=%s/bus</listen>
<auth>EXTERNAL</auth><servicedir>%s/services</servicedir>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`, dir, dir)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "services"), 0o700); err != nil {
		t.Fatal(err)
	}
	b := &PrivateBus{Addr: "unix:path=" + dir + "/bus", Dir: dir, t: t}
	b.Start("", "dbus-daemon", "--nofork", "--config-file="+conf)
	WaitUntil(t, 10*time.Second, "the private bus", func() bool {
		// The context lives as long as the connection: godbus closes the
		// connection when it is done.
		conn, err := dbus.Connect(b.Addr, dbus.WithContext(t.Context()))
		b.Conn = conn
		return err == nil
	})
	t.Cleanup(func() { b.Conn.Close() })
	return b
}

// Start runs a daemon on the bus (stdin as its input, e.g. gnome-keyring's
// --unlock password) and stops it when the test ends.
func (b *PrivateBus) Start(stdin, name string, args ...string) *exec.Cmd {
	b.t.Helper()
	return b.startEnv(nil, stdin, name, args...)
}

// startEnv is Start with extra KEY=VALUE variables, applied last.
func (b *PrivateBus) startEnv(env []string, stdin, name string, args ...string) *exec.Cmd {
	b.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+b.Addr, "XDG_DATA_HOME="+b.Dir+"/data"), env...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// HasOwner reports whether name is owned on the bus.
func (b *PrivateBus) HasOwner(name string) bool {
	var ok bool
	b.Conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&ok)
	return ok
}

// WaitOwner waits up to 10 s for name to be owned on the bus.
func (b *PrivateBus) WaitOwner(name string) {
	b.t.Helper()
	WaitUntil(b.t, 10*time.Second, name, func() bool { return b.HasOwner(name) })
}

// StartKeyring starts an unlocked gnome-keyring (password "test") on the bus
// and waits for its Secret Service.
func (b *PrivateBus) StartKeyring() {
	b.t.Helper()
	b.Start("test", "gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	b.WaitOwner("org.freedesktop.secrets")
}

// WaitUntil polls cond every 20 ms and fails the test after limit.
func WaitUntil(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out after %s waiting for %s", limit, what)
}
