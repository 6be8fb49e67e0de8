package e2e

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

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// Faults of the local storage: keys.json damaged or unreadable, the config
// dir read-only, the keychain locked, no clipboard tool.

// pairOne pairs one key in s and returns its name and secret.
func pairOne(t *testing.T, s *sandbox, fake *fakeanytype.Server, prefix string) (string, string) {
	t.Helper()
	name := s.name(prefix)
	r, _ := s.pair(fake, name)
	if r.code != 0 {
		t.Fatalf("pair failed:\n%s", r)
	}
	keys := fake.Keys()
	return name, keys[len(keys)-1]
}

func TestFaultIndexCorrupt(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	name, key := pairOne(t, s, fake, "corrupt")
	// Truncated JSON, as a crash of some other writer might leave it.
	data, err := os.ReadFile(s.index())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.index(), data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	before := stat(t, s.index())
	for _, args := range [][]string{
		{"list"}, {"list", "--json"}, {"pair", s.name("corrupt-new")}, {"rm", name},
		{"add", s.name("corrupt-add"), "--no-verify"}, {"verify"},
	} {
		r := s.run(key+"\n", args...)
		wantFailure(t, r, 1, `damaged|keys\.json`)
		if !strings.Contains(r.stderr, "left untouched") {
			t.Errorf("no hint that the file was left as it was:\n%s", r)
		}
		sameFile(t, s.index(), before)
	}
	if fake.Challenges() != 1 {
		t.Errorf("%d challenges: pair spent one although it could not save", fake.Challenges())
	}
	// rm refused, so the secret is still there for the user to recover.
	if secret(t, name) != key {
		t.Errorf("the secret of %s is gone after commands on a damaged index", name)
	}
}

// TestFaultIndexUnreadable: keys.json is a directory (tests run as root, so
// chmod 000 would not stop a read).
func TestFaultIndexUnreadable(t *testing.T) {
	t.Parallel()
	s := newSandbox(t, closedURL(t))
	if err := os.MkdirAll(filepath.Join(s.index(), "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"list"}, {"get", "x"}, {"pair", s.name("unreadable")}, {"rm", "x"}} {
		r := s.run("", args...)
		wantFailure(t, r, 1, `keys\.json`)
		if fi, err := os.Stat(filepath.Join(s.index(), "x")); err != nil || !fi.IsDir() {
			t.Fatalf("%v replaced the unreadable keys.json: %v", args, err)
		}
	}
}

// readOnly returns a wrapper that runs the command with dir read-only: a
// private mount namespace with a read-only bind mount when root (root
// ignores file modes), else chmod 0500 for the test's duration.
func readOnly(t *testing.T, dir string) []string {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		return nil
	}
	script := `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"`
	w := []string{"unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", dir}
	if err := exec.Command(w[0], append(w[1:], "true")...).Run(); err != nil {
		if desktoptest.InCI() {
			t.Fatalf("cannot make a read-only mount as root (unshare -m): %v", err)
		}
		t.Skipf("cannot make a read-only mount as root (unshare -m): %v", err)
	}
	return w
}

func TestFaultConfigReadOnly(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	old, oldKey := pairOne(t, s, fake, "ro-old")
	before := stat(t, s.index())
	ro := runOpts{wrap: readOnly(t, s.dir())}

	// pair: Anytype mints, the keychain takes the secret, keys.json cannot
	// be written: the secret is taken back and the key goes to stdout.
	name := s.name("ro-new")
	p := s.start(ro, "pair", name)
	answer(t, fake, p, 20*time.Second)
	r := p.wait(t, 60*time.Second)
	keys := fake.Keys()
	wantFailure(t, r, 1, `was NOT saved.*read-only`)
	if len(keys) != 2 || r.stdout != keys[1]+"\n" {
		t.Errorf("stdout %q, want the new key", r.stdout)
	}
	if secret(t, name) != "" {
		t.Errorf("the secret of %s stayed in the keychain without a keys.json entry", name)
	}
	// rm: must not leave the key half-removed.
	r = s.runWith(ro, "", "rm", old)
	wantFailure(t, r, 1, `read-only`)
	if secret(t, old) != oldKey {
		t.Errorf("a failed rm removed the secret of %s but kept its keys.json entry", old)
	}
	sameFile(t, s.index(), before)
	if r := s.runWith(runOpts{wrap: ro.wrap, exempt: true}, "", "get", old); r.code != 0 || r.stdout != oldKey+"\n" {
		t.Errorf("get in a read-only config dir:\n%s", r)
	}
}

func TestFaultNoClipboardTool(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	name, _ := pairOne(t, s, fake, "noclip")
	empty := filepath.Join(s.root, "emptybin")
	os.Mkdir(empty, 0o700)
	r := s.runWith(runOpts{env: []string{"PATH=" + empty}}, "", "copy", name)
	wantFailure(t, r, 1, `no clipboard tool`)
	if !strings.Contains(r.stderr, "xclip") {
		t.Errorf("the hint does not name a package to install:\n%s", r)
	}
}

// privateKeyring starts a D-Bus bus and an unlocked gnome-keyring of the
// test's own, so it can lock the keyring without breaking tests in other
// packages that share the session's keyring.
func privateKeyring(t *testing.T) (busAddr string, conn *dbus.Conn) {
	t.Helper()
	for _, tool := range []string{"dbus-daemon", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			desktoptest.Require(t, desktoptest.SecretService) // fails under CI
			t.Skipf("no %s", tool)
		}
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=%s/bus</listen>
<auth>EXTERNAL</auth><servicedir>%s/services</servicedir>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`, dir, dir)), 0o600)
	os.Mkdir(filepath.Join(dir, "services"), 0o700)
	busAddr = "unix:path=" + dir + "/bus"
	start := func(stdin string, name string, args ...string) {
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+busAddr, "XDG_DATA_HOME="+dir+"/data")
		cmd.Stdin = strings.NewReader(stdin)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	start("", "dbus-daemon", "--nofork", "--config-file="+conf)
	waitFor(t, func() bool { _, err := os.Stat(dir + "/bus"); return err == nil })
	// The context lives as long as the connection: godbus closes the
	// connection when it is done.
	var err error
	if conn, err = dbus.Connect(busAddr, dbus.WithContext(t.Context())); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	start("test", "gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	waitFor(t, func() bool {
		var ok bool
		conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.freedesktop.secrets").Store(&ok)
		return ok
	})
	return busAddr, conn
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out waiting for a desktop component")
}

// TestFaultKeychainLocked: the login collection is locked and no prompter
// exists to unlock it; get and pair must end with a clear message.
func TestFaultKeychainLocked(t *testing.T) {
	desktoptest.Require(t, desktoptest.SessionBus)
	t.Parallel()
	bus, conn := privateKeyring(t)
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

	name2 := s.name("locked2")
	p := s.start(runOpts{}, "pair", name2)
	answer(t, fake, p, 20*time.Second)
	r = p.wait(t, 90*time.Second)
	wantFailure(t, r, 1, `was NOT saved`)
	if keys := fake.Keys(); r.stdout != keys[len(keys)-1]+"\n" {
		t.Errorf("stdout %q, want the minted key", r.stdout)
	}
	sameFile(t, s.index(), before)
	t.Logf("pair on a locked keychain: %s after %s", firstLine(r.stderr), r.took.Round(time.Millisecond))
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
