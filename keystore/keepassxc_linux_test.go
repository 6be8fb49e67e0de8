package keystore

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/godbus/dbus/v5"
)

// TestKeePassXC runs the real code (child processes) against KeePassXC
// serving the Secret Service on a private bus: no "login" collection, so
// go-keyring and the state check use the "default" alias; rm leaves the
// entry in the database's Recycle Bin, which Provider reports; and with the
// database locked, list answers at once (every key locked, no unlock
// dialog) while get waits for the dialog until its deadline.
func TestKeePassXC(t *testing.T) {
	b := desktoptest.StartPrivateBus(t, "keepassxc", "keepassxc-cli", "secret-tool")
	t.Parallel()
	db := startKeePassXC(t, b)

	dir := t.TempDir()
	kept, gone := "kept ключ", "gone"
	if err := writeIndex(dir, []Entry{testEntry(kept), testEntry(gone)}); err != nil {
		t.Fatal(err)
	}
	store := exec.Command("secret-tool", "store", "--label=anykey test", "service", service, "username", kept)
	store.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+b.Addr)
	store.Stdin = strings.NewReader("anytype_kept")
	if out, err := store.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v: %s", err, out)
	}
	run := func(mode string, env ...string) childReport {
		t.Helper()
		env = append(env, childDir+"="+dir, childReal+"=1", "DBUS_SESSION_BUS_ADDRESS="+b.Addr)
		out, err := child(t, mode, env...).Output()
		return parseReport(t, out, err)
	}

	rep := run("states")
	if rep["state "+kept].State != "present" || rep["state "+gone].State != "missing" || rep["get "+kept].Err != "" {
		t.Errorf("unlocked: %+v", rep)
	}
	if p := rep["provider"].Provider; p != ProviderKeePassXC {
		t.Errorf("provider = %q, want %q", p, ProviderKeePassXC)
	}

	// rm: gone from the Secret Service, still in the database.
	rep = run("delete", childName+"="+kept)
	var err error
	if r := rep["delete"]; r.Err != "" || rep["provider"].Provider != ProviderKeePassXC || !rep["provider"].KeepsDelete {
		t.Errorf("delete = %+v, provider %+v; want success from a provider that keeps deleted items", r, rep["provider"])
	}
	// KeePassXC saves the file a moment after a change.
	var out []byte
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		ls := exec.Command("keepassxc-cli", "ls", "-R", "-q", db)
		ls.Stdin = strings.NewReader("test\n")
		out, err = ls.CombinedOutput()
		if err == nil && strings.Contains(string(out), "Recycle Bin/") {
			break
		}
	}
	if !strings.Contains(string(out), "Recycle Bin/") || !strings.Contains(string(out), "anykey test") {
		t.Errorf("keepassxc-cli ls after rm: %v\n%s\nwant the entry in the Recycle Bin", err, out)
	}

	// A locked database: put the key back, lock, ask.
	if err := writeIndex(dir, []Entry{testEntry(kept), testEntry(gone)}); err != nil {
		t.Fatal(err)
	}
	store = exec.Command("secret-tool", "store", "--label=anykey test 2", "service", service, "username", kept)
	store.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+b.Addr)
	store.Stdin = strings.NewReader("anytype_kept")
	if out, err := store.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v: %s", err, out)
	}
	lockKeePassXC(t, b)
	start := time.Now()
	rep = run("states", childWait+"=2s")
	if r := rep["list"]; r.Err != "" || rep["state "+kept].State != "locked" || rep["state "+gone].State != "locked" {
		t.Errorf("locked: list %+v, states %q %q; want both locked (KeePassXC hides a locked database)",
			r, rep["state "+kept].State, rep["state "+gone].State)
	}
	if g := rep["get "+kept]; !g.Timeout {
		t.Errorf("get with the database locked = %+v; want a timeout while the unlock dialog waits", g)
	}
	// Two gets wait 2 s each for the dialog; list itself must not wait.
	if d := time.Since(start); d > 12*time.Second {
		t.Errorf("the locked run took %s", d)
	}
}

// startKeePassXC starts KeePassXC on b with a fresh database whose root
// group is exposed over the Secret Service, unlocked with password "test",
// and returns the database's path. It runs offscreen (Qt's offscreen
// platform): no display is needed. The exposed group is the database's
// custom data FDO_SECRETS_EXPOSED_GROUP, which is what KeePassXC's Database
// settings → Secret Service Integration stores.
func startKeePassXC(t *testing.T, b *desktoptest.PrivateBus) string {
	t.Helper()
	dir := t.TempDir()
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		t.Fatal(err)
	}
	h := fmt.Sprintf("%x", id)
	xml := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<KeePassFile><Meta><DatabaseName>Passwords</DatabaseName>
<CustomData><Item><Key>FDO_SECRETS_EXPOSED_GROUP</Key><Value>{%s-%s-%s-%s-%s}</Value></Item></CustomData></Meta>
<Root><Group><UUID>%s</UUID><Name>Passwords</Name></Group></Root></KeePassFile>
`, h[:8], h[8:12], h[12:16], h[16:20], h[20:], base64.StdEncoding.EncodeToString(id[:]))
	// No confirmation dialogs, no tray icon, no update check; a save
	// after every change (the default) so keepassxc-cli sees deletions.
	ini := `[General]
ConfigVersion=2
SingleInstance=false
[GUI]
ShowTrayIcon=false
CheckForUpdates=false
[FdoSecrets]
Enabled=true
ShowNotification=false
ConfirmAccessItem=false
ConfirmDeleteItem=false
`
	for name, data := range map[string]string{"db.xml": xml, "keepassxc.ini": ini} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "Passwords.kdbx")
	env := append(os.Environ(), "QT_QPA_PLATFORM=offscreen", "XDG_CONFIG_HOME="+dir, "XDG_CACHE_HOME="+dir, "XDG_RUNTIME_DIR="+dir)
	imp := exec.Command("keepassxc-cli", "import", "-q", "-p", "-t", "100", filepath.Join(dir, "db.xml"), db)
	imp.Env, imp.Stdin = env, strings.NewReader("test\ntest\n")
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("keepassxc-cli import: %v: %s", err, out)
	}
	kp := exec.Command("keepassxc", "--config", filepath.Join(dir, "keepassxc.ini"),
		"--localconfig", filepath.Join(dir, "local.ini"), "--pw-stdin", db)
	kp.Env = append(env, "DBUS_SESSION_BUS_ADDRESS="+b.Addr, "XDG_DATA_HOME="+dir)
	kp.Stdin = strings.NewReader("test\n")
	kp.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := kp.Start(); err != nil {
		t.Fatal(err)
	}
	// SIGKILL: a SIGTERM during a pending save can hang KeePassXC's exit.
	t.Cleanup(func() { kp.Process.Kill(); kp.Wait() })
	b.WaitOwner(ssName)
	desktoptest.WaitUntil(t, 20*time.Second, "KeePassXC to unlock its database", func() bool {
		v, err := b.Conn.Object(ssName, defaultAlias).GetProperty(ssCollection + ".Locked")
		locked, ok := v.Value().(bool)
		return err == nil && ok && !locked
	})
	return db
}

// lockKeePassXC locks the default collection. KeePassXC answers Lock with
// a prompt object; Prompt locks without showing anything.
func lockKeePassXC(t *testing.T, b *desktoptest.PrivateBus) {
	t.Helper()
	var coll dbus.ObjectPath
	if err := b.Conn.Object(ssName, ssPath).Call(ssService+".ReadAlias", 0, "default").Store(&coll); err != nil {
		t.Fatal(err)
	}
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := b.Conn.Object(ssName, ssPath).Call(ssService+".Lock", 0, []dbus.ObjectPath{coll}).Store(&locked, &prompt); err != nil {
		t.Fatal(err)
	}
	if prompt != "/" {
		if err := b.Conn.Object(ssName, prompt).Call("org.freedesktop.Secret.Prompt.Prompt", 0, "").Err; err != nil {
			t.Fatal(err)
		}
	}
	desktoptest.WaitUntil(t, 10*time.Second, "KeePassXC to lock", func() bool {
		v, err := b.Conn.Object(ssName, coll).GetProperty(ssCollection + ".Locked")
		l, _ := v.Value().(bool)
		return err == nil && l
	})
}
