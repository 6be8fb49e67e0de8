package keystore

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestUnavailableKeychain runs the real go-keyring backend in a child
// process against broken desktop setups seen in the field
// (zalando/go-keyring#18, #116; zed-industries/zed#14210). Each must give
// errors wrapping ErrUnavailable that keep the cause's text (except Get of
// a name keys.json does not list: ErrNotFound), List must still return the
// entries, and nothing may fall back to a file.
func TestUnavailableKeychain(t *testing.T) {
	t.Parallel()
	emptyPath := t.TempDir() // a PATH without dbus-launch
	for _, tc := range []struct {
		name  string
		env   func(t *testing.T) []string
		cause string // expected in the error text
	}{
		{"dead bus socket", func(t *testing.T) []string {
			return []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(t.TempDir(), "no-bus")}
		}, "no such file"},
		// No address: no bus is started (godbus would run dbus-launch, and
		// a new bus has no keychain); the error says what is missing.
		{"no session bus named", func(*testing.T) []string {
			return []string{"DBUS_SESSION_BUS_ADDRESS=", "DISPLAY=", "PATH=" + emptyPath, "XDG_RUNTIME_DIR=" + emptyPath}
		}, "DBUS_SESSION_BUS_ADDRESS is not set"},
		{"autolaunch: names no bus", func(*testing.T) []string {
			return []string{"DBUS_SESSION_BUS_ADDRESS=autolaunch:", "DISPLAY=", "PATH=" + emptyPath, "XDG_RUNTIME_DIR=" + emptyPath}
		}, "DBUS_SESSION_BUS_ADDRESS is not set"},
		{"bus without a Secret Service", func(t *testing.T) []string {
			return []string{"DBUS_SESSION_BUS_ADDRESS=" + privateBus(t)}
		}, "org.freedesktop.secrets"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			// One entry already saved, so List has something to return.
			if err := writeIndex(dir, []Entry{testEntry("kept")}); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(filepath.Join(dir, indexName))
			env := append(tc.env(t), childDir+"="+dir, childName+"=fresh", childReal+"=1")
			out, err := child(t, "probe", env...).Output()
			rep := parseReport(t, out, err)
			t.Logf("Set: %s\nList: %s", rep["set"].Err, rep["list"].Err)
			for _, step := range []string{"set", "get kept", "list", "delete"} {
				r := rep[step]
				if !r.Unavailable || !strings.Contains(r.Err, tc.cause) {
					t.Errorf("%s: %+v; want ErrUnavailable mentioning %q", step, r, tc.cause)
				}
			}
			// Set failed, so "fresh" is unknown whatever the keychain says.
			if r := rep["get"]; !r.NotFound || r.Unavailable {
				t.Errorf("get of the name Set could not save: %+v; want ErrNotFound", r)
			}
			if rep["list"].Entries != 1 {
				t.Errorf("List returned %d entries, want the saved one", rep["list"].Entries)
			}
			after, _ := os.ReadFile(filepath.Join(dir, indexName))
			if string(before) != string(after) {
				t.Errorf("keys.json changed: %s", after)
			}
			files, _ := os.ReadDir(dir)
			for _, f := range files {
				if f.Name() != indexName && f.Name() != lockName {
					t.Errorf("unexpected file %s (a plaintext fallback?)", f.Name())
				}
			}
		})
	}
}

// privateBus starts a D-Bus daemon with no services and no activation, as
// on a desktop without gnome-keyring or KWallet.
func privateBus(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("dbus-daemon not installed")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	sock := filepath.Join(dir, "bus")
	err = os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=`+sock+`</listen>
  <servicedir>`+dir+`</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--nofork", "--config-file="+conf)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(sock); err == nil {
			return "unix:path=" + sock
		}
	}
	t.Fatal("private dbus-daemon did not start")
	return ""
}
