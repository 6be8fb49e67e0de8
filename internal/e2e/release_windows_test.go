package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/danieljoos/wincred"
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// The Windows end-to-end tests run the anykey exe (the release build in CI,
// under Wine: scripts/wine-test.sh) as a user would, against the fake
// Anytype, with the sandbox's own APPDATA, USERPROFILE and TEMP. Keys live
// in the Credential Manager, read here with wincred as go-keyring writes
// them ("anykey-test:NAME": the end-to-end build keeps its keys under
// keystore.TestService); only names made by sandbox.name are ever touched.
// What changes the desktop itself (the clipboard, the HKCU Run value, a
// tray icon) runs only under Wine, whose prefix is the test run's own.

// winEnv is the sandbox for a Windows run. Wine 8 cannot name a listener's
// owner (its TCP table says PID 0), so under Wine every listener is
// trusted, as a Wine user would have to; on Windows the check runs.
func winSandbox(t *testing.T) (*sandbox, *fakeanytype.Server) {
	t.Helper()
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	if desktoptest.Wine() {
		s.setenv("ANYKEY_TRUST_LISTENER_OWNER", "*")
	}
	return s, fake
}

// credential reads name's secret from the Credential Manager.
func credential(name string) (string, bool) {
	c, err := wincred.GetGenericCredential(keystore.TestService + ":" + name)
	if err != nil || c == nil {
		return "", false
	}
	return string(c.CredentialBlob), true // go-keyring stores UTF-8 bytes
}

// TestWindowsOwnKeychainService: the exe under test keeps its keys under
// the tests' own service, keystore.TestService ("anykey-test:NAME" in the
// Credential Manager), never under the user's ("anykey:NAME"): it is the
// end-to-end build (anykey_e2e), not the release exe, which would touch
// the user's own keys. The lookup under the user's service only reads.
func TestWindowsOwnKeychainService(t *testing.T) {
	s, _ := winSandbox(t)
	name := s.name("service")
	if r := s.run("k-own-service\n", "add", name, "--no-verify"); r.code != 0 {
		t.Fatalf("add:\n%s", r)
	}
	if got, ok := credential(name); !ok || got != "k-own-service" {
		t.Errorf("%s:%s holds %q (found %v), want the key", keystore.TestService, name, got, ok)
	}
	if c, err := wincred.GetGenericCredential(keystore.Service + ":" + name); err == nil && c != nil {
		c.Delete()
		t.Errorf("the exe under test saved %s:%s, under the user's own service: is it the anykey_e2e build?", keystore.Service, name)
	}
}

// TestWindowsKeyLifecycle: pair, list, get, add, verify, env, mcp --install
// and rm with the exe, each checked where Windows keeps it.
func TestWindowsKeyLifecycle(t *testing.T) {
	s, fake := winSandbox(t)
	name := s.name("win")
	r, code := s.pair(fake, name)
	if r.code != 0 || code == "" {
		t.Fatalf("pair:\n%s", r)
	}
	key := fake.Keys()[len(fake.Keys())-1]
	if got, ok := credential(name); !ok || got != key {
		t.Fatalf("after pair the Credential Manager holds %q (found %v), want the minted key", got, ok)
	}
	if data, err := os.ReadFile(filepath.Join(s.config, "anykey", "keys.json")); err != nil || !strings.Contains(string(data), name) {
		t.Fatalf("keys.json is not under the sandbox's APPDATA: %v", err)
	}

	r = s.run("", "list")
	if r.code != 0 || !strings.Contains(r.stdout, name) {
		t.Errorf("list:\n%s", r)
	}
	r = s.run("", "list", "--json")
	var listed []map[string]any
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &listed) != nil || len(listed) != 1 || listed[0]["name"] != name {
		t.Errorf("list --json:\n%s", r)
	}
	r = s.runWith(runOpts{exempt: true}, "", "get", name)
	if r.code != 0 || strings.TrimRight(r.stdout, "\r\n") != key {
		t.Errorf("get printed %q, want the key:\n%s", r.stdout, r)
	}

	added := s.name("added")
	other := fake.AddKey(fakeanytype.KeyOptions{Name: "made in Anytype"})
	if r = s.run(other+"\n", "add", added); r.code != 0 {
		t.Errorf("add:\n%s", r)
	} else if got, _ := credential(added); got != other {
		t.Errorf("add saved %q in the Credential Manager, want the pasted key", got)
	}
	if r = s.run("", "verify", name); r.code != 0 || !strings.Contains(r.stdout+r.stderr, "valid") {
		t.Errorf("verify:\n%s", r)
	}

	// env: PowerShell without --shell (no SHELL in a Windows environment).
	r = s.runWith(runOpts{exempt: true}, "", "env", name)
	if r.code != 0 || !strings.Contains(r.stdout, "$env:ANYTYPE_API_KEY = '"+key+"'") {
		t.Errorf("env without --shell is not PowerShell:\n%s", r)
	}
	r = s.runWith(runOpts{exempt: true}, "", "env", name, "--shell", "sh")
	if r.code != 0 || !strings.Contains(r.stdout, "export ANYTYPE_API_KEY='"+key+"'") {
		t.Errorf("env --shell sh:\n%s", r)
	}

	// mcp --install writes Claude Desktop's file under the sandbox's APPDATA,
	// with Windows paths: the exe's own, absolute, backslashed.
	npx := filepath.Join(s.root, "node", "npx.cmd")
	os.MkdirAll(filepath.Dir(npx), 0o700)
	if err := os.WriteFile(npx, []byte("@echo off\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.setenv("PATH", filepath.Dir(npx)+string(os.PathListSeparator)+os.Getenv("PATH"))
	r = s.run("", "mcp", name, "--install", "claude-desktop")
	cfg := filepath.Join(s.config, "Claude", "claude_desktop_config.json")
	data, err := os.ReadFile(cfg)
	if r.code != 0 || err != nil {
		t.Fatalf("mcp --install claude-desktop: %v\n%s", err, r)
	}
	var doc struct {
		Servers map[string]struct {
			Command string            `json:"command"`
			Args    []string          `json:"args"`
			Env     map[string]string `json:"env"`
		} `json:"mcpServers"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", cfg, err)
	}
	ent := doc.Servers["anytype"]
	if !filepath.IsAbs(ent.Command) || !strings.Contains(ent.Command, `\`) || !strings.EqualFold(filepath.Ext(ent.Command), ".exe") ||
		!strings.Contains(strings.Join(ent.Args, " "), name) {
		t.Errorf("the entry does not start the exe by its Windows path: %+v", ent)
	}
	if strings.Contains(string(data), key) {
		t.Errorf("LEAK: %s holds the key", cfg)
	}
	t.Logf("mcp --install claude-desktop wrote %s: command %s, args %q", cfg, ent.Command, ent.Args)

	// rm: the Credential Manager entry goes too.
	if r = s.run("", "rm", name); r.code != 0 {
		t.Fatalf("rm:\n%s", r)
	}
	if _, ok := credential(name); ok {
		t.Errorf("rm left %s:%s in the Credential Manager", keystore.TestService, name)
	}
	if r = s.run("", "list"); strings.Contains(r.stdout, name+" ") || strings.Contains(r.stdout, name+"\n") {
		t.Errorf("list still shows %s after rm:\n%s", name, r)
	}
	if r = s.runWith(runOpts{exempt: true}, "", "get", name); r.code == 0 {
		t.Errorf("get after rm succeeded:\n%s", r)
	}
}

// TestWindowsExecChild is the command of TestWindowsExec, not a test: it
// checks the key it was given (by its hash: the key itself is never put on
// a command line) and exits 7, or ("wait", TestWindowsExecConsoleEvent)
// says it waits and then waits for one console event.
func TestWindowsExecChild(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode != "status" && mode != "wait" {
		t.Skip("the command of TestWindowsExec")
	}
	sum := sha256.Sum256([]byte(os.Getenv("ANYTYPE_API_KEY")))
	if hex.EncodeToString(sum[:]) != os.Getenv("ANYKEY_E2E_WANT") {
		os.Exit(9)
	}
	if mode == "status" {
		os.Exit(7)
	}
	dir := os.Getenv("ANYKEY_E2E_DIR")
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, os.Interrupt)
	os.WriteFile(filepath.Join(dir, "waiting"), nil, 0o600)
	select {
	case <-ch:
		f, _ := os.OpenFile(filepath.Join(dir, "events"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		f.WriteString("interrupt\n")
		f.Close()
		time.Sleep(500 * time.Millisecond) // a second delivery would land now
		os.Exit(3)
	case <-time.After(30 * time.Second):
		os.Exit(4)
	}
}

// TestWindowsExec: exec hands the key to the command in its environment
// and exits with the command's status (TestWindowsExecConsoleEvent: and
// through a console event).
func TestWindowsExec(t *testing.T) {
	s, fake := winSandbox(t)
	name := s.name("exec")
	if r, _ := s.pair(fake, name); r.code != 0 {
		t.Fatalf("pair:\n%s", r)
	}
	key := fake.Keys()[len(fake.Keys())-1]
	sum := sha256.Sum256([]byte(key))
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := []string{"exec", name, "--", self, "-test.run=^TestWindowsExecChild$"}
	r := s.runWith(runOpts{env: []string{childEnv + "=status", "ANYKEY_E2E_WANT=" + hex.EncodeToString(sum[:])}}, "", child...)
	if r.code != 7 {
		t.Errorf("exec exit %d, want the command's 7 (9: the command did not get the key):\n%s", r.code, r)
	}
}

// TestWindowsCopyAndClear: copy puts the key on the Windows clipboard, and
// the clearing helper empties it after --clear-after. Under Wine only: on
// Windows it would take the user's clipboard.
func TestWindowsCopyAndClear(t *testing.T) {
	if !desktoptest.Wine() {
		t.Skip("would overwrite this user's clipboard (runs under Wine, in the test's own prefix)")
	}
	s, fake := winSandbox(t)
	name := s.name("copy")
	if r, _ := s.pair(fake, name); r.code != 0 {
		t.Fatalf("pair:\n%s", r)
	}
	key := fake.Keys()[len(fake.Keys())-1]
	r := s.run("", "copy", name, "--clear-after", "3s")
	if r.code != 0 {
		t.Fatalf("copy:\n%s", r)
	}
	// copy may return before its helper has taken the clipboard.
	var got string
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if got = readClipboard(t); got == key {
			break
		}
	}
	if got != key {
		t.Fatalf("clipboard holds %q after copy, want the key\n%s", got, r)
	}
	deadline := time.Now().Add(15 * time.Second)
	for readClipboard(t) == key {
		if time.Now().After(deadline) {
			t.Fatal("the key is still on the clipboard 15 s after a 3 s --clear-after")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestWindowsAutostart: autostart on writes the HKCU Run value that starts
// the tray at login, status reads it, off deletes it. Under Wine only: on
// Windows it would change the user's own login items.
func TestWindowsAutostart(t *testing.T) {
	if !desktoptest.Wine() {
		t.Skip("would change this user's Run key (runs under Wine, in the test's own prefix)")
	}
	s, _ := winSandbox(t)
	runValue := func() (string, bool) {
		k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Microsoft\Windows\CurrentVersion\Run`, registry.QUERY_VALUE)
		if err != nil {
			return "", false
		}
		defer k.Close()
		v, _, err := k.GetStringValue("anykey")
		return v, err == nil
	}
	if r := s.run("", "autostart", "on"); r.code != 0 {
		t.Fatalf("autostart on:\n%s", r)
	}
	v, ok := runValue()
	if !ok || !strings.HasPrefix(v, `"`) || !strings.Contains(strings.ToLower(v), ".exe\" tray") {
		t.Errorf("Run value = %q (found %v), want the quoted exe and tray", v, ok)
	}
	if r := s.run("", "autostart", "status"); r.code != 0 || strings.TrimSpace(r.stdout) != "on" {
		t.Errorf("autostart status after on:\n%s", r)
	}
	if r := s.run("", "autostart", "off"); r.code != 0 {
		t.Fatalf("autostart off:\n%s", r)
	}
	if v, ok := runValue(); ok {
		t.Errorf("autostart off left the Run value %q", v)
	}
	if r := s.run("", "autostart", "status"); r.code != 0 || strings.TrimSpace(r.stdout) != "off" {
		t.Errorf("autostart status after off:\n%s", r)
	}
}

// TestWindowsTray: the tray starts on the (Xvfb) desktop, creates its
// notification-area window, holds the single-instance lock so a second
// tray says so, and ends when told. Under Wine only.
func TestWindowsTray(t *testing.T) {
	if !desktoptest.Wine() {
		t.Skip("would add an icon to this user's notification area (runs under Wine on Xvfb)")
	}
	s, _ := winSandbox(t)
	p := s.start(runOpts{}, "tray")
	p.stdin.Close()
	var hwnd windows.HWND
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end) && hwnd == 0; time.Sleep(100 * time.Millisecond) {
		hwnd = trayWindow(uint32(p.cmd.Process.Pid))
		select {
		case <-p.done:
			t.Fatalf("the tray exited:\n%s", p.res)
		default:
		}
	}
	if hwnd == 0 {
		killGroup(p.cmd)
		t.Fatalf("no SystrayClass window of the tray's process within 30 s:\n%s", p.wait(t, 10*time.Second))
	}
	r := s.run("", "tray")
	if r.code != 0 || !strings.Contains(r.stderr, "already running") {
		t.Errorf("a second tray:\n%s", r)
	}
	p.cmd.Process.Kill()
	p.wait(t, 10*time.Second)
}
