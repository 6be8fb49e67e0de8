package cli

// The doctor tests: anykey doctor run against desktops built from real
// components on a private session bus, each with one piece missing (no
// notification daemon, no tray host, a locked keyring, no Secret Service,
// no Anytype, no bus, a silent bus), checking what it names and its exit
// status. The foreign listener case runs in e2e_foreign_linux_test.go,
// which owns a network namespace.

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/doctor"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// desktopParts says which pieces a test's private desktop has.
type desktopParts struct {
	keyring, notify, tray bool
	desktop               string // XDG_CURRENT_DESKTOP
}

// doctorWorld is a private session bus with the chosen pieces, a fake
// Anytype that serves its own MCP routes, and private config and home dirs.
type doctorWorld struct {
	t   *testing.T
	bus *desktoptest.PrivateBus
	srv *fakeanytype.Server
	env []string
}

func newDoctorWorld(t *testing.T, p desktopParts) *doctorWorld {
	t.Helper()
	desktoptest.Require(t, desktoptest.Display) // dunst and the tray host draw on it
	tools := []string{"gnome-keyring-daemon", "dunst", "status-notifier-watcher"}
	x11 := os.Getenv("DISPLAY") != "" && os.Getenv("WAYLAND_DISPLAY") == ""
	if x11 {
		tools = append(tools, "gtk-sni-tray-standalone")
	}
	b := desktoptest.StartPrivateBus(t, tools...)
	if p.keyring {
		b.StartKeyring()
	}
	if p.notify {
		rc := filepath.Join(t.TempDir(), "dunstrc")
		os.WriteFile(rc, nil, 0o600)
		b.Start("", "dunst", "-config", rc)
		b.WaitOwner("org.freedesktop.Notifications")
	}
	if p.tray {
		b.Start("", "status-notifier-watcher")
		b.WaitOwner("org.kde.StatusNotifierWatcher")
		if x11 {
			// gtk-sni-tray-standalone is X11 only (docs/desktop-testing.md).
			b.Start("", "gtk-sni-tray-standalone", "--bottom", "--end", "--size", "16")
			desktoptest.WaitUntil(t, 15*time.Second, "the tray host", func() bool {
				v, err := b.Conn.Object("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher").
					GetProperty("org.kde.StatusNotifierWatcher.IsStatusNotifierHostRegistered")
				ok, _ := v.Value().(bool)
				return err == nil && ok
			})
		}
	}
	home := t.TempDir()
	w := &doctorWorld{t: t, bus: b, srv: fakeanytype.Start(t, fakeanytype.Config{MCP: true})}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "DBUS_SESSION_BUS_ADDRESS", "XDG_CONFIG_HOME", "HOME", "XDG_CURRENT_DESKTOP", EnvAPIURL, "ANYKEY_CONFIG_DIR":
			continue
		}
		w.env = append(w.env, kv)
	}
	w.env = append(w.env, "DBUS_SESSION_BUS_ADDRESS="+b.Addr, "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_CURRENT_DESKTOP="+p.desktop)
	return w
}

// doctor runs anykey doctor --json with extra arguments (before the
// command) and environment, and returns its report and exit status.
func (w *doctorWorld) doctor(extraEnv []string, global ...string) (doctor.Report, result) {
	w.t.Helper()
	// Build (once per package) before the clock starts: under CI's load
	// the build alone took more than the 30 s doctor gets, and doctor then
	// failed with its deadline already gone.
	bin := anykeyBinary(w.t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := append(global, "doctor", "--json")
	if len(global) == 0 {
		args = append([]string{"--api-url", w.srv.URL()}, args...)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(append([]string{}, w.env...), extraEnv...)
	r := runAnykey(w.t, cmd)
	var rep doctor.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		w.t.Fatalf("doctor --json: exit %d, not JSON (%v):\n%s\nstderr: %s", r.code, err, r.stdout, r.stderr)
	}
	if rep.Works != (r.code == 0) {
		w.t.Errorf("works=%v but exit %d", rep.Works, r.code)
	}
	return rep, r
}

// expect checks the first finding about piece.
func expect(t *testing.T, rep doctor.Report, piece string, status doctor.Status, found, fix string) doctor.Finding {
	t.Helper()
	f, ok := rep.Find(piece)
	if !ok {
		t.Fatalf("no finding about %s: %+v", piece, rep.Findings)
	}
	if f.Status != status || !strings.Contains(f.Found, found) || !strings.Contains(f.Fix, fix) {
		t.Errorf("%s: %s %q, fix %q; want %s, found naming %q, fix naming %q", piece, f.Status, f.Found, f.Fix, status, found, fix)
	}
	return f
}

func TestE2EDoctorFullDesktop(t *testing.T) {
	w := newDoctorWorld(t, desktopParts{keyring: true, notify: true, tray: true, desktop: "XFCE"})
	rep, r := w.doctor(nil)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q; want 0 and nothing said", r.code, r.stderr)
	}
	expect(t, rep, doctor.PieceSessionBus, doctor.OK, "dbus-daemon", "")
	f := expect(t, rep, doctor.PieceSecretService, doctor.OK, "GNOME Keyring; collection \"login\" (the default), unlocked", "")
	if f.Facts["provider"] != "GNOME Keyring" || f.Facts["locked"] != "false" {
		t.Errorf("Secret Service facts: %v", f.Facts)
	}
	expect(t, rep, doctor.PieceNotifications, doctor.OK, "dunst", "")
	if os.Getenv("WAYLAND_DISPLAY") == "" {
		expect(t, rep, doctor.PieceTray, doctor.OK, "status-notifier-watcher, with a host", "")
	} else {
		// No X11 tray host to start on Wayland: the watcher alone.
		expect(t, rep, doctor.PieceTray, doctor.Warning, "no host", "")
	}
	expect(t, rep, doctor.PieceDialogs, doctor.OK, "", "")
	// The key is marked secret on the clipboard: clip owns the selection
	// (X11) or speaks data-control (sway).
	expect(t, rep, doctor.PieceClipboard, doctor.OK, "a copied key is marked secret", "")
	f = expect(t, rep, doctor.PieceAnytype, doctor.OK, "API 2025-11-08, listener yours; its own MCP endpoint: yes", "")
	if f.Where != w.srv.URL() || f.Facts["mcp"] != "yes" {
		t.Errorf("Anytype finding: %+v", f)
	}
	expect(t, rep, doctor.PieceConfig, doctor.OK, "does not exist yet", "")
	expect(t, rep, doctor.PieceAutostart, doctor.Info, "off", "")
	// Doctor has no side effects on Anytype: no challenge, no key sent.
	if n := w.srv.Challenges(); n != 0 {
		t.Errorf("doctor created %d challenges", n)
	}
	for _, q := range w.srv.Requests() {
		if q.Header.Get("Authorization") != "" {
			t.Errorf("%s %s carried a key", q.Method, q.Path)
		}
	}

	// The text form says the same, one line a piece.
	cmd := exec.Command(anykeyBinary(t), "--api-url", w.srv.URL(), "doctor")
	cmd.Env = w.env
	text := runAnykey(t, cmd)
	if text.code != 0 || !strings.Contains(text.stdout, "ok       Secret Service  GNOME Keyring") ||
		!strings.Contains(text.stdout, "\nPairing and handing keys out work here") {
		t.Errorf("text report: exit %d\n%s", text.code, text.stdout)
	}
	t.Logf("doctor on a full desktop:\n%s", text.stdout)
}

func TestE2EDoctorNoNotificationDaemonNoTrayHost(t *testing.T) {
	w := newDoctorWorld(t, desktopParts{keyring: true, desktop: "ubuntu:GNOME"})
	rep, r := w.doctor(nil)
	if r.code != 0 {
		t.Errorf("exit %d; optional pieces missing must leave 0 (stderr %q)", r.code, r.stderr)
	}
	expect(t, rep, doctor.PieceNotifications, doctor.Warning, "no notification daemon", "dialogs")
	expect(t, rep, doctor.PieceTray, doctor.Warning, "no StatusNotifierItem watcher", "AppIndicator and KStatusNotifierItem Support")
	expect(t, rep, doctor.PieceSecretService, doctor.OK, "unlocked", "")

	cmd := exec.Command(anykeyBinary(t), "--api-url", w.srv.URL(), "doctor")
	cmd.Env = w.env
	text := runAnykey(t, cmd)
	if !strings.HasSuffix(text.stdout, "work here (2 warnings).\n") {
		t.Errorf("text report:\n%s", text.stdout)
	}
	t.Logf("doctor with no notification daemon and no tray host on GNOME:\n%s", text.stdout)
}

func TestE2EDoctorTrayWatcherWithoutHost(t *testing.T) {
	// A watcher alone (no panel draws the icons) on a desktop that is not
	// GNOME: the fix names no GNOME extension.
	w := newDoctorWorld(t, desktopParts{keyring: true, notify: true, desktop: "XFCE"})
	w.bus.Start("", "status-notifier-watcher")
	w.bus.WaitOwner("org.kde.StatusNotifierWatcher")
	rep, _ := w.doctor(nil)
	f := expect(t, rep, doctor.PieceTray, doctor.Warning, "no host", "StatusNotifierItems")
	if strings.Contains(f.Fix, "GNOME") {
		t.Errorf("fix names GNOME on XFCE: %q", f.Fix)
	}
}

func TestE2EDoctorLockedKeyring(t *testing.T) {
	w := newDoctorWorld(t, desktopParts{keyring: true, notify: true, tray: true, desktop: "XFCE"})
	w.bus.Lock("/org/freedesktop/secrets/collection/login")
	rep, r := w.doctor(nil)
	if r.code != 0 {
		t.Errorf("exit %d: a locked keyring can be unlocked when a key is needed (stderr %q)", r.code, r.stderr)
	}
	f := expect(t, rep, doctor.PieceSecretService, doctor.Warning, `collection "login" (the default) is locked`, "unlock it in Passwords and Keys")
	if f.Facts["locked"] != "true" {
		t.Errorf("facts: %v", f.Facts)
	}
	// Doctor raised no unlock prompt: the collection is still locked.
	if !w.bus.Locked("/org/freedesktop/secrets/collection/login") {
		t.Error("doctor unlocked the keyring")
	}
}

func TestE2EDoctorNoSecretServiceNoAnytype(t *testing.T) {
	w := newDoctorWorld(t, desktopParts{notify: true, tray: true, desktop: "XFCE"})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	free := "http://" + ln.Addr().String()
	ln.Close()
	rep, r := w.doctor(nil, "--api-url", free)
	if r.code != 1 || !strings.Contains(r.stderr, "anykey: pairing or handing keys out cannot work here: Secret Service, Anytype at "+free+" missing") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	expect(t, rep, doctor.PieceSecretService, doctor.Missing, "no Secret Service", "gnome-keyring")
	f := expect(t, rep, doctor.PieceAnytype, doctor.Missing, "nothing listens here", "start Anytype")
	if f.Where != free {
		t.Errorf("Anytype finding is about %q, want %q", f.Where, free)
	}
}

func TestE2EDoctorNoBus(t *testing.T) {
	w := newDoctorWorld(t, desktopParts{desktop: "XFCE"})
	var env []string
	for _, kv := range w.env {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") && !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") {
			env = append(env, kv)
		}
	}
	w.env = append(env, "XDG_RUNTIME_DIR="+t.TempDir())
	rep, r := w.doctor(nil)
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	expect(t, rep, doctor.PieceSessionBus, doctor.Missing, "DBUS_SESSION_BUS_ADDRESS is not set", "desktop session")
	expect(t, rep, doctor.PieceSecretService, doctor.Missing, "no session bus", "session bus first")
	expect(t, rep, doctor.PieceAnytype, doctor.OK, "running", "")
}

func TestE2EDoctorSilentBus(t *testing.T) {
	w := newDoctorWorld(t, desktopParts{desktop: "XFCE"})
	sock := filepath.Join(t.TempDir(), "bus")
	desktoptest.SilentListener(t, "unix", sock)
	start := time.Now()
	rep, r := w.doctor([]string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + sock})
	took := time.Since(start)
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	expect(t, rep, doctor.PieceSessionBus, doctor.Missing, "did not answer within 5s", "log in again")
	if took > 12*time.Second {
		t.Errorf("doctor took %s on a silent bus", took)
	}
}

// TestE2ENoUnlockPromptSaysSo: a locked keyring whose provider cannot show
// an unlock prompt (the private bus has no prompter for gnome-keyring to
// start) fails at once; get says no prompt could be shown, not to answer
// one.
func TestE2ENoUnlockPromptSaysSo(t *testing.T) {
	b := desktoptest.StartPrivateBus(t, "gnome-keyring-daemon")
	b.StartKeyring()
	cfg := t.TempDir()
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k != "DBUS_SESSION_BUS_ADDRESS" && k != "XDG_CONFIG_HOME" && k != "ANYKEY_CONFIG_DIR" {
			env = append(env, kv)
		}
	}
	env = append(env, "DBUS_SESSION_BUS_ADDRESS="+b.Addr, "XDG_CONFIG_HOME="+cfg)
	run := func(stdin string, args ...string) result {
		cmd := exec.Command(anykeyBinary(t), args...)
		cmd.Env, cmd.Stdin = env, strings.NewReader(stdin)
		return runAnykey(t, cmd)
	}
	if r := run("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI=\n", "add", "--no-verify", "k"); r.code != 0 {
		t.Fatalf("add: %d %s", r.code, r.stderr)
	}
	b.Lock("/org/freedesktop/secrets/collection/login")
	r := run("", "get", "k")
	if r.code != 1 || r.stdout != "" ||
		!strings.Contains(r.stderr, "anykey: the keychain is locked, and GNOME Keyring could not show an unlock prompt here\n") ||
		!strings.Contains(r.stderr, "anykey: hint: unlock GNOME Keyring yourself") || strings.Contains(r.stderr, "raise") {
		t.Errorf("get: exit %d, stderr %q", r.code, r.stderr)
	}
}
