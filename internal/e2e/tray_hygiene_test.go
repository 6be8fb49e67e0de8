package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// Secret hygiene of the tray, measured: pair from the menu, use every copy
// action and Remove…, then look for the key everywhere it must not be.

// plainBinary builds anykey without -race: fyne.io/systray v1.12.2 has a
// known data race (refresh vs GetLayout) that makes a -race tray exit 66,
// as tray/e2e_test.go's buildBinary notes by building it plain.
func plainBinary(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "anykey")
	cmd := exec.Command("go", "build", "-tags", "anykey_e2e", "-o", out, ".")
	cmd.Dir = filepath.Join("..", "..")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return out
}

// answerDialog types text and presses key in the zenity dialog titled re,
// then waits for it to close.
func answerDialog(t *testing.T, ctx context.Context, re, text string, keys ...string) {
	t.Helper()
	wid, err := desktoptest.WaitWindow(ctx, re)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := desktoptest.WindowPID(ctx, wid)
	if err != nil {
		t.Fatal(err)
	}
	if text != "" {
		if err := desktoptest.TypeIntoWindow(ctx, re, "", "ctrl+a"); err != nil {
			t.Fatal(err)
		}
	}
	for i, k := range keys {
		typed := ""
		if i == len(keys)-1 {
			typed = text
		}
		if err := desktoptest.TypeIntoWindow(ctx, re, typed, k); err != nil {
			t.Fatal(err)
		}
	}
	for ctx.Err() == nil {
		ids, _ := desktoptest.WindowIDs(ctx, re)
		if !strings.Contains(" "+strings.Join(ids, " ")+" ", " "+wid+" ") {
			// and the tray has read the answer (see tray/e2e_test.go waitGone)
			if err := desktoptest.WaitExit(ctx, pid); err != nil {
				t.Fatal(err)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("dialog %q never closed", re)
}

// trayNote returns the next notification from sender, failing unless its
// summary is summary.
func trayNote(t *testing.T, ctx context.Context, w *desktoptest.NotificationWatcher, sender, summary string) {
	t.Helper()
	n, err := w.NextFrom(ctx, sender)
	if err != nil {
		t.Fatalf("waiting for notification %q: %v", summary, err)
	}
	if n.Summary != summary {
		t.Fatalf("notification %q (%q), want %q", n.Summary, n.Body, summary)
	}
}

func TestTrayHygiene(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display, desktoptest.SecretService, desktoptest.Notifications)
	desktoptest.LockGUI(t) // dialogs, the clipboard, and other tests' notifications
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	trayBin := plainBinary(t)
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	run := filepath.Join(s.root, "run") // the tray's lock, scanned with the rest
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	s.setenv("XDG_RUNTIME_DIR", run)
	s.setenv("ANYKEY_CLIP_TIME", "2s")
	// A stand-in npx on the tray's PATH: the keyless MCP config resolves it.
	npxDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(npxDir, "npx"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.setenv("PATH", npxDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	notes := desktoptest.WatchNotifications(t)

	cmd := exec.Command(trayBin, "tray")
	cmd.Env, cmd.Dir = s.env, s.home
	stdout, stderr := &desktoptest.SyncBuffer{}, &desktoptest.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	ownGroup(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			killGroup(cmd)
		}
		if t.Failed() {
			t.Logf("tray stderr:\n%s", stderr)
		}
	})
	tr, err := desktoptest.FindTray(ctx, cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	var me string // the tray's connection: beeep and systray share it
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetNameOwner", 0, tr.Name).Store(&me); err != nil {
		t.Fatal(err)
	}
	click := func(path string) {
		t.Helper()
		if err := tr.Click(ctx, path); err != nil {
			t.Fatal(err)
		}
	}
	waitMenu := func(path string, want bool) {
		t.Helper()
		if _, err := tr.WaitFor(ctx, func(items []desktoptest.MenuItem) bool {
			_, ok := desktoptest.FindItem(items, path)
			return ok == want
		}); err != nil {
			t.Fatal(err)
		}
	}
	waitMenu("Anytype: connected (API 2025-11-08)", true)

	// Pair from the menu.
	name := s.name("tray-hygiene")
	click("New API key…")
	answerDialog(t, ctx, "new API key$", name, "Return")
	_, code, err := fake.WaitChallenge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	trayNote(t, ctx, notes, me, fmt.Sprintf("Pairing %q with Anytype", name))
	answerDialog(t, ctx, regexp.QuoteMeta(fmt.Sprintf("pairing %q", name))+"$", code, "Return")
	trayNote(t, ctx, notes, me, fmt.Sprintf("Key %q saved — it is on your clipboard", name))
	keys := fake.Keys()
	if len(keys) != 1 {
		t.Fatalf("the fake minted %d keys, want 1", len(keys))
	}
	key := keys[0]
	procs := scanCmdlines(t, key)

	// Every copy action: Copy key puts the key on the clipboard, and only
	// then; Copy MCP config copies the keyless entry (anykey runs exec
	// --mask NAME) and Copy shell exports a command that loads the key
	// (pasted exports stay in shell history): neither holds any form of it.
	for _, c := range []struct {
		item, note string
		keyless    bool
	}{
		{"Copy key", "Copied key %q", false},
		{"Copy MCP config", "Copied MCP config for %q", true},
		{"Copy shell exports", "Copied shell exports for %q", true},
	} {
		waitMenu(name+"/"+c.item, true)
		click(name + "/" + c.item)
		trayNote(t, ctx, notes, me, fmt.Sprintf(c.note, name))
		v, err := desktoptest.ReadClipboard(ctx)
		switch {
		case err != nil:
			t.Errorf("%s: reading the clipboard: %v", c.item, err)
		case c.keyless && len(leaks(key, []byte(v))) > 0:
			t.Errorf("LEAK: %s put the key on the clipboard:\n%s", c.item, v)
		case c.item == "Copy MCP config" && (!strings.Contains(v, `"serve",`) || !strings.Contains(v, strconv.Quote(name))):
			t.Errorf("%s: the clipboard holds no keyless entry for %s:\n%s", c.item, name, v)
		case c.item == "Copy shell exports" && !strings.Contains(v, " env "+name+`)"`):
			t.Errorf("%s: the clipboard holds %q, want a keyless eval line", c.item, v)
		case !c.keyless && !strings.Contains(v, key):
			t.Errorf("%s: the clipboard (%d bytes) lacks the key", c.item, len(v))
		}
		procs += scanCmdlines(t, key) // the clipboard helper waits now
	}

	// Remove…: the question's default is Keep; Tab moves to Remove.
	click(name + "/Remove…")
	answerDialog(t, ctx, "remove key$", "", "Tab", "Return")
	trayNote(t, ctx, notes, me, fmt.Sprintf("Removed key %q", name))
	waitMenu(name, false)
	if v := secret(t, name); v != "" {
		t.Errorf("the keychain still holds %s after Remove…", name)
	}
	procs += scanCmdlines(t, key)

	// The clear-after (2 s) ran; then quit and look everywhere.
	time.Sleep(3 * time.Second)
	if v, _ := desktoptest.ReadClipboard(ctx); len(leaks(key, []byte(v))) > 0 {
		t.Error("LEAK: the key is still on the clipboard after the clear delay")
	}
	click("Quit")
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("tray exited with %v", err)
		}
		done <- err
	case <-time.After(5 * time.Second):
		t.Fatal("tray still running 5 s after Quit")
	}
	for what, out := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String()} {
		if f := leaks(key, []byte(out)); len(f) > 0 {
			t.Errorf("LEAK: the tray's %s holds the key (%v)", what, f)
		}
	}
	files := scanTree(t, key, s.root) // HOME, XDG_CONFIG_HOME, TMPDIR, XDG_RUNTIME_DIR
	seen := notes.All()
	for _, n := range seen {
		if f := leaks(key, []byte(n.App+"\n"+n.Summary+"\n"+n.Body+"\n"+n.Icon)); len(f) > 0 {
			t.Errorf("LEAK: notification %q holds the key (%v)", n.Summary, f)
		}
	}
	logged := "no notification log"
	if dir := desktoptest.SessionDir(); dir != "" {
		data, err := os.ReadFile(filepath.Join(dir, "notifications.log"))
		if err != nil {
			t.Errorf("reading the notification log: %v", err)
		}
		if f := leaks(key, data); len(f) > 0 {
			t.Errorf("LEAK: the notification log on the bus holds the key (%v)", f)
		}
		logged = fmt.Sprintf("the notification log (%d bytes)", len(data))
	}
	t.Logf("searched %d files, the tray's stdout and stderr, %d notifications, %s and %d argv reads for %d forms of the key",
		files, len(seen), logged, procs, len(forms(key)))
}
