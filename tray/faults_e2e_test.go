//go:build linux

package tray_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// The tray rows of the fault matrix (docs/security.md), on the real binary:
// no dialog tool, no DISPLAY, no notification daemon, a tray host that
// appears late or never. Each ends with the menu still answering GetLayout
// and clicks. The last two run the tray on a D-Bus bus of the test's own,
// since the session's dunst and watcher cannot be stopped.

// faultEnv is the tray's environment: the test's own config and runtime
// dirs (so the session's tray lock is not shared), the fake server, and
// kv (KEY=VALUE overrides; "KEY=" with no value unsets KEY).
func faultEnv(t *testing.T, srv *fakeanytype.Server, kv ...string) (env []string, cfg string) {
	cfg = t.TempDir()
	kv = append([]string{"XDG_CONFIG_HOME=" + cfg, "APPDATA=" + cfg, "XDG_RUNTIME_DIR=" + t.TempDir(),
		"ANYKEY_API_URL=" + srv.URL(), "ANYKEY_CLIP_TIME=2s"}, kv...)
	env = testEnviron()
	for _, e := range kv {
		k, v, _ := strings.Cut(e, "=")
		env = slices.DeleteFunc(env, func(s string) bool { return strings.HasPrefix(s, k+"=") })
		if v != "" {
			env = append(env, e)
		}
	}
	return env, cfg
}

// noteFrom returns the next notification sent by the bus name sender,
// failing if it is not summary; other senders (other tests) are skipped.
func noteFrom(t *testing.T, ctx context.Context, w *desktoptest.NotificationWatcher, sender, summary string) desktoptest.Notification {
	t.Helper()
	n, err := w.NextFrom(ctx, sender)
	if err != nil {
		t.Fatalf("waiting for notification %q: %v", summary, err)
	}
	if n.Summary != summary {
		t.Fatalf("notification %q (%q), want %q", n.Summary, n.Body, summary)
	}
	return n
}

// ownerOf is the unique bus name of the tray process pid: it sends the
// notifications (beeep and systray share one connection).
func ownerOf(t *testing.T, ctx context.Context, conn *dbus.Conn, pid int) string {
	t.Helper()
	var owner string
	name := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", pid)
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetNameOwner", 0, name).Store(&owner); err != nil {
		t.Fatalf("owner of %s: %v", name, err)
	}
	return owner
}

// dialogFault starts the tray with env overrides, clicks New API key… and
// returns the notification that explains why no dialog came.
func dialogFault(t *testing.T, kv ...string) desktoptest.Notification {
	desktoptest.Require(t, desktoptest.SessionBus, desktoptest.Notifications)
	desktoptest.LockGUI(t) // other tray tests read every anykey notification
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	bin := buildBinary(t)
	srv := fakeanytype.Start(t, fakeanytype.Config{})
	env, cfg := faultEnv(t, srv, kv...)
	notes := desktoptest.WatchNotifications(t)
	p := startTray(t, bin, env)
	tr, err := desktoptest.FindTray(ctx, p.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.WaitFor(ctx, labelled("Anytype: connected (API 2025-11-08)")); err != nil {
		t.Fatal(err)
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	me := ownerOf(t, ctx, conn, p.cmd.Process.Pid)
	if err := tr.Click(ctx, "New API key…"); err != nil {
		t.Fatal(err)
	}
	n := noteFrom(t, ctx, notes, me, "anykey cannot show a dialog")
	if strings.Contains(strings.ToLower(n.Body), "cancel") {
		t.Errorf("the fault is reported as a cancel: %q", n.Body)
	}
	if !strings.Contains(n.Body, "`anykey pair NAME` in a terminal") {
		t.Errorf("body %q does not offer `anykey pair NAME` in a terminal", n.Body)
	}
	// Clean state: no challenge spent, nothing minted or listed.
	if c, k := srv.Challenges(), len(srv.Keys()); c != 0 || k != 0 {
		t.Errorf("%d challenges, %d keys minted without a dialog", c, k)
	}
	if data, err := os.ReadFile(filepath.Join(cfg, "anykey", "keys.json")); err == nil && strings.Contains(string(data), `"name"`) {
		t.Errorf("keys.json lists a key:\n%s", data)
	}
	// The menu still answers GetLayout and clicks; notifications still go out.
	if _, err := tr.WaitFor(ctx, labelled("New API key…")); err != nil {
		t.Fatal(err)
	}
	if err := tr.Click(ctx, "About anykey"); err != nil {
		t.Fatal(err)
	}
	noteFrom(t, ctx, notes, me, "anykey "+versionOf(t, bin))
	return n
}

func TestE2EFaultNoDialogTool(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display)
	empty := t.TempDir() // PATH without zenity, qarma, matedialog or kdialog
	n := dialogFault(t, "PATH="+empty)
	if !strings.Contains(n.Body, "Install zenity") {
		t.Errorf("body %q does not say to install zenity", n.Body)
	}
}

func TestE2EFaultNoDisplay(t *testing.T) {
	// systray needs no display: the menu is still on D-Bus.
	n := dialogFault(t, "DISPLAY=", "WAYLAND_DISPLAY=")
	if !strings.Contains(n.Body, "No display is set (DISPLAY)") {
		t.Errorf("body %q does not report the missing display", n.Body)
	}
}

// watcherItems is the watcher's RegisteredStatusNotifierItems (nil if the
// watcher does not answer).
func watcherItems(conn *dbus.Conn) []string {
	var v dbus.Variant
	err := conn.Object("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher").Call(
		"org.freedesktop.DBus.Properties.Get", 0, "org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems").Store(&v)
	if err != nil {
		return nil
	}
	items, _ := v.Value().([]string)
	return items
}

// trayOn finds the tray of p on the private bus conn and waits until its
// status line says Anytype is connected.
func trayOn(t *testing.T, ctx context.Context, conn *dbus.Conn, p *trayProc) *desktoptest.Tray {
	t.Helper()
	tr, err := desktoptest.FindTrayOn(ctx, conn, p.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	waitItem(t, ctx, tr, "Anytype: connected (API 2025-11-08)", nil)
	return tr
}

// waitItem waits until the menu holds the item at path and ok (when not nil)
// accepts it.
func waitItem(t *testing.T, ctx context.Context, tr *desktoptest.Tray, path string, ok func(desktoptest.MenuItem) bool) {
	t.Helper()
	if _, err := tr.WaitFor(ctx, func(items []desktoptest.MenuItem) bool {
		it, found := desktoptest.FindItem(items, path)
		return found && (ok == nil || ok(it))
	}); err != nil {
		t.Fatalf("waiting for %q: %v", path, err)
	}
}

// click clicks the item at path once it is shown and enabled.
func click(t *testing.T, ctx context.Context, tr *desktoptest.Tray, path string) {
	t.Helper()
	waitItem(t, ctx, tr, path, func(it desktoptest.MenuItem) bool { return it.Enabled })
	if err := tr.Click(ctx, path); err != nil {
		t.Fatal(err)
	}
}

func TestE2EFaultNoNotificationDaemon(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display)
	desktoptest.LockGUI(t) // zenity dialogs and the clipboard
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	b := desktoptest.StartPrivateBus(t, "gnome-keyring-daemon", "status-notifier-watcher")
	addr, conn := b.Addr, b.Conn
	b.StartKeyring()
	b.Start("", "status-notifier-watcher") // before the tray: the race of §5 is the next test's
	desktoptest.WaitUntil(t, 10*time.Second, "the watcher", func() bool { return watcherItems(conn) != nil })
	if b.HasOwner("org.freedesktop.Notifications") {
		t.Fatal("the private bus has a notification daemon")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr) // secret-tool asks the private keyring
	bin := buildBinary(t)
	srv := fakeanytype.Start(t, fakeanytype.Config{})
	env, cfg := faultEnv(t, srv)
	p := startTray(t, bin, env)
	tr := trayOn(t, ctx, conn, p)

	name := randomName("tray-nonotify-")
	click(t, ctx, tr, "New API key…")
	answer(t, ctx, "new API key$", name, "Return")
	_, code, err := srv.WaitChallenge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	answer(t, ctx, regexp.QuoteMeta(`pairing "`+name+`"`)+"$", code, "Return")
	waitItem(t, ctx, tr, name, nil) // the key's submenu: saved and listed
	keys := srv.Keys()
	if len(keys) != 1 {
		t.Fatalf("the fake minted %d keys, want 1", len(keys))
	}
	// The clipboard before the result dialog is answered: the 2 s clear
	// runs meanwhile, and answering first lost the copy to it under load.
	expectClipboardThenCleared(t, ctx, keys[0])
	// The result, which no notification can show, is a message dialog.
	answer(t, ctx, "^"+regexp.QuoteMeta(`Key "`+name+`" saved — it is on your clipboard`)+"$", "", "Return")
	if got, err := desktoptest.SecretToolLookup(ctx, keystore.TestService, name); err != nil || got != keys[0] {
		t.Errorf("the keychain holds %d bytes (%v), want the minted key", len(got), err)
	}
	// The tray did try to notify (pairing, saved), and said why it could not.
	if n := strings.Count(p.stderr.String(), "anykey: showing notification: "); n < 2 {
		t.Errorf("%d failed notifications logged, want ≥ 2 (pairing, saved):\n%s", n, p.stderr)
	}
	// Every result has its dialog (issue 22): Verify's, and Check this
	// desktop…'s findings.
	click(t, ctx, tr, name+"/Verify")
	answer(t, ctx, "^"+regexp.QuoteMeta(`Key "`+name+`" works`)+"$", "", "Return")
	click(t, ctx, tr, "Check this desktop…")
	answer(t, ctx, "^anykey — this desktop$", "", "Return")
	if !strings.Contains(p.stderr.String(), "showing notification") {
		t.Errorf("no failed notification logged:\n%s", p.stderr)
	}

	// Clicks still work without notifications: Start at login and back.
	file := filepath.Join(cfg, "autostart", "anykey.desktop")
	for _, want := range []int32{1, 0} {
		click(t, ctx, tr, "Start at login")
		// The next click waits for the rebuilt menu: a click on the old
		// layout's item would name an ID that no longer exists.
		waitItem(t, ctx, tr, "Start at login", func(it desktoptest.MenuItem) bool { return it.ToggleState == want })
		if _, err := os.Stat(file); (err == nil) != (want == 1) {
			t.Errorf("checkbox %d but %s exists=%v", want, file, err == nil)
		}
	}
}

func TestE2EFaultTrayHostLate(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display) // dunst draws on it
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	b := desktoptest.StartPrivateBus(t, "dunst", "status-notifier-watcher")
	addr, conn := b.Addr, b.Conn
	rc := filepath.Join(t.TempDir(), "dunstrc")
	os.WriteFile(rc, nil, 0o600)
	b.Start("", "dunst", "-config", rc)
	b.WaitOwner("org.freedesktop.Notifications")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	notes := desktoptest.WatchNotifications(t) // on the private bus
	bin := buildBinary(t)
	srv := fakeanytype.Start(t, fakeanytype.Config{})
	env, _ := faultEnv(t, srv)
	p := startTray(t, bin, env)
	tr := trayOn(t, ctx, conn, p)
	me := ownerOf(t, ctx, conn, p.cmd.Process.Pid)
	version := versionOf(t, bin)

	// Never (so far): one notification says so; the menu works.
	n := noteFrom(t, ctx, notes, me, "anykey runs, but this desktop shows no tray icons")
	if !strings.Contains(n.Body, "AppIndicator") {
		t.Errorf("body %q does not name the AppIndicator extension", n.Body)
	}
	click(t, ctx, tr, "About anykey")
	noteFrom(t, ctx, notes, me, "anykey "+version)
	if watcherItems(conn) != nil {
		t.Fatal("a watcher answers on the private bus before the test started one")
	}

	// Late: the watcher starts now and must list the running tray.
	b.Start("", "status-notifier-watcher")
	var items []string
	desktoptest.WaitUntil(t, 15*time.Second, "the late watcher to list the tray", func() bool {
		items = watcherItems(conn)
		return slices.Contains(items, me) || slices.Contains(items, me+"/StatusNotifierItem")
	})
	click(t, ctx, tr, "About anykey")
	noteFrom(t, ctx, notes, me, "anykey "+version)
	count := 0
	for _, n := range notes.All() {
		if n.Sender == me && strings.Contains(n.Summary, "no tray icons") {
			count++
		}
	}
	if count != 1 {
		t.Errorf("%d tray-host notifications, want exactly 1", count)
	}
}

// TestE2EAnytypeNotRunning: with nothing on the API port, New API key…
// says Anytype is not running, and Open Anytype, on a desktop where
// nothing handles anytype:// (xdg-open exits 3 here), says it could not
// open it instead of doing nothing.
func TestE2EAnytypeNotRunning(t *testing.T) {
	desktoptest.Require(t, desktoptest.SessionBus, desktoptest.Notifications)
	if _, err := exec.LookPath("xdg-open"); err != nil {
		if desktoptest.InCI() {
			t.Fatal("CI is set but xdg-open (xdg-utils) is not installed")
		}
		t.Skip("no xdg-open here")
	}
	desktoptest.LockGUI(t) // other tray tests read every anykey notification
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	bin := buildBinary(t)
	srv := fakeanytype.Start(t, fakeanytype.Config{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	// An empty XDG_DATA_DIRS and HOME: no desktop file registers anytype://.
	home := t.TempDir()
	env, _ := faultEnv(t, srv, "ANYKEY_API_URL="+dead, "XDG_DATA_HOME="+home, "XDG_DATA_DIRS="+home)
	notes := desktoptest.WatchNotifications(t)
	p := startTray(t, bin, env)
	tr, err := desktoptest.FindTray(ctx, p.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	me := ownerOf(t, ctx, conn, p.cmd.Process.Pid)
	click(t, ctx, tr, "New API key…")
	noteFrom(t, ctx, notes, me, "Anytype is not running")
	click(t, ctx, tr, "Open Anytype")
	n := noteFrom(t, ctx, notes, me, "Could not open Anytype")
	if !strings.Contains(n.Body, "anytype://") {
		t.Errorf("body %q does not say that nothing opens anytype:// links", n.Body)
	}
	if c := srv.Challenges(); c != 0 {
		t.Errorf("%d challenges", c)
	}
}

// TestE2EKeychainLockRebuildsMenu: locking and unlocking the keychain
// while the tray runs shows in the menu within 2 s — the key marked
// locked, with Unlock keychain… under it, and back — from the Secret
// Service's signals, not a poll.
//
// The bus has no prompter for gnome-keyring to start, so Unlock keychain…
// then says that no unlock prompt could be shown, not to answer one.
func TestE2EKeychainLockRebuildsMenu(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display) // dunst draws on it
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	b := desktoptest.StartPrivateBus(t, "gnome-keyring-daemon", "status-notifier-watcher", "dunst")
	b.StartKeyring()
	b.Start("", "status-notifier-watcher")
	rc := filepath.Join(t.TempDir(), "dunstrc")
	os.WriteFile(rc, nil, 0o600)
	b.Start("", "dunst", "-config", rc)
	b.WaitOwner("org.freedesktop.Notifications")
	desktoptest.WaitUntil(t, 10*time.Second, "the watcher", func() bool { return watcherItems(b.Conn) != nil })
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", b.Addr)
	notes := desktoptest.WatchNotifications(t) // on the private bus
	bin := buildBinary(t)
	srv := fakeanytype.Start(t, fakeanytype.Config{})
	env, _ := faultEnv(t, srv)
	name := randomName("tray-lock-")
	add := exec.CommandContext(ctx, bin, "add", "--no-verify", name)
	add.Env = env
	add.Stdin = strings.NewReader("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI=\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("anykey add: %v\n%s", err, out)
	}
	p := startTray(t, bin, env)
	tr := trayOn(t, ctx, b.Conn, p)
	waitItem(t, ctx, tr, name+"/Copy key", nil)

	const login = "/org/freedesktop/secrets/collection/login"
	within := func(what string, f func()) {
		t.Helper()
		start := time.Now()
		f()
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("%s took %s, want ≤ 2 s", what, took.Round(time.Millisecond))
		}
	}
	b.Lock(login)
	within("the locked mark", func() {
		waitItem(t, ctx, tr, name+" (keychain locked)/Unlock keychain…", nil)
	})
	me := ownerOf(t, ctx, b.Conn, p.cmd.Process.Pid)
	click(t, ctx, tr, name+" (keychain locked)/Unlock keychain…")
	n := noteFrom(t, ctx, notes, me, `Could not read key "`+name+`"`)
	if !strings.Contains(n.Body, "GNOME Keyring could not show an unlock prompt here") || strings.Contains(n.Body, "answer") {
		t.Errorf("body %q; want it to say no unlock prompt could be shown", n.Body)
	}
	b.UnlockGnomeKeyring(login, "test")
	within("the unlocked menu", func() {
		waitItem(t, ctx, tr, name+"/Copy key", nil)
	})
}
