package tray_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// The end-to-end test drives the real anykey binary on the real desktop
// session (scripts/desktop-session.sh): the tray over com.canonical.dbusmenu,
// zenity dialogs typed into with xdotool or wtype, notifications seen on the
// bus, the secret in the session's Secret Service, the clipboard through
// xclip or wl-clipboard (desktoptest picks the tools by session type).

// buildBinary builds anykey once into dir.
func buildBinary(t *testing.T) string {
	t.Helper()
	// Not in the temp dir: start at login refuses a binary there (see
	// packaging.CheckInstalled), and the autostart subtest turns it on.
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(cache, "anykey-test"), 0o700); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(filepath.Join(cache, "anykey-test"), "bin-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "anykey")
	cmd := exec.Command("go", "build", "-tags", "anykey_e2e", "-o", bin, "github.com/anykey-app/anykey")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type trayProc struct {
	cmd    *exec.Cmd
	stderr *desktoptest.SyncBuffer
	done   chan error
}

func startTray(t *testing.T, bin string, env []string, args ...string) *trayProc {
	t.Helper()
	p := &trayProc{cmd: exec.Command(bin, args...), stderr: &desktoptest.SyncBuffer{}, done: make(chan error, 1)}
	p.cmd.Env = env
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			p.cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("tray stderr:\n%s", p.stderr.String())
		}
	})
	return p
}

// windowIDs lists visible windows whose title matches re.
func windowIDs(ctx context.Context, re string) []string {
	ids, _ := desktoptest.WindowIDs(ctx, re)
	return ids
}

// waitGone waits until window wid is no longer visible, so the next search
// for the same title finds the re-opened dialog, not this one, and until
// the tray has reaped the dialog's process: it takes the next New API key…
// only once it has read the answer (on Wayland a click right after the
// unmap found the tray still busy).
func waitGone(t *testing.T, ctx context.Context, re, wid string, pid int) {
	t.Helper()
	for ctx.Err() == nil {
		found := false
		for _, id := range windowIDs(ctx, re) {
			found = found || id == wid
		}
		if !found {
			if err := desktoptest.WaitExit(ctx, pid); err != nil {
				t.Fatal(err)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("window %s (%q) never closed", wid, re)
}

// answer types text into the dialog titled re, then presses key, and waits
// for the dialog to close.
func answer(t *testing.T, ctx context.Context, re, text, key string) {
	t.Helper()
	wid, err := desktoptest.WaitWindow(ctx, re)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := desktoptest.WindowPID(ctx, wid)
	if err != nil {
		t.Fatal(err)
	}
	// Replace any pre-filled default.
	if err := desktoptest.TypeIntoWindow(ctx, re, "", "ctrl+a"); err != nil {
		t.Fatal(err)
	}
	if err := desktoptest.TypeIntoWindow(ctx, re, text, key); err != nil {
		t.Fatal(err)
	}
	waitGone(t, ctx, re, wid, pid)
}

func nextNote(t *testing.T, ctx context.Context, w *desktoptest.NotificationWatcher, wantSummary string) desktoptest.Notification {
	t.Helper()
	for {
		n, err := w.Next(ctx)
		if err != nil {
			t.Fatalf("waiting for notification %q: %v", wantSummary, err)
		}
		if n.App != "anykey" {
			continue // another test binary's notification
		}
		if n.Summary != wantSummary {
			t.Fatalf("notification %q (%q), want %q", n.Summary, n.Body, wantSummary)
		}
		return n
	}
}

func labelled(label string) func([]desktoptest.MenuItem) bool {
	return func(items []desktoptest.MenuItem) bool { _, ok := desktoptest.FindItem(items, label); return ok }
}

func randomName(prefix string) string {
	b := make([]byte, 3)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

func TestE2ETray(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display, desktoptest.SecretService, desktoptest.Notifications, desktoptest.TrayHost)
	desktoptest.LockGUI(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	bin := buildBinary(t)
	srv := fakeanytype.Start(t, fakeanytype.Config{})
	cfg, run := t.TempDir(), t.TempDir()
	env := append(testEnviron(),
		"XDG_CONFIG_HOME="+cfg,
		"APPDATA="+cfg, // Windows' config dir: never the user's own
		"XDG_RUNTIME_DIR="+run,
		"ANYKEY_API_URL="+srv.URL(),
		"ANYKEY_CLIP_TIME=2s",
	)
	// Underscores: a dbusmenu host must show the name exactly (issue 9).
	name := randomName("tray_e2e_")
	t.Cleanup(func() { exec.Command("secret-tool", "clear", "service", keystore.TestService, "username", name).Run() })

	notes := desktoptest.WatchNotifications(t)
	p := startTray(t, bin, env)
	tr, err := desktoptest.FindTray(ctx, p.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.WaitFor(ctx, labelled("Anytype: connected (API 2025-11-08)")); err != nil {
		t.Fatal(err)
	}
	newKeyTitle := "new API key$"
	codeTitle := regexp.QuoteMeta(`pairing "`+name+`"`) + "$"

	t.Run("pair with a wrong code then the right one", func(t *testing.T) {
		if err := tr.Click(ctx, "New API key…"); err != nil {
			t.Fatal(err)
		}
		answer(t, ctx, newKeyTitle, name, "Return")
		nextNote(t, ctx, notes, `Pairing "`+name+`" with Anytype`)
		if _, err := tr.WaitFor(ctx, labelled(`Pairing "`+name+`"…`)); err != nil {
			t.Fatal(err)
		}
		_, code, err := srv.WaitChallenge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wrong := "0000"
		if code == wrong {
			wrong = "1111"
		}
		if os.Getenv("ANYKEY_SCREENSHOTS") == "1" {
			shootDialog(t, ctx, codeTitle)
		}
		answer(t, ctx, codeTitle, wrong, "Return")
		answer(t, ctx, codeTitle, code, "Return")
		saved := nextNote(t, ctx, notes, `Key "`+name+`" saved — it is on your clipboard`)

		keys := srv.Keys()
		if len(keys) != 1 || srv.Challenges() != 1 {
			t.Fatalf("fake minted %d keys on %d challenges, want 1 on 1", len(keys), srv.Challenges())
		}
		key := keys[0]
		if strings.Contains(saved.Summary+saved.Body, key) {
			t.Error("the notification shows the key")
		}
		got, err := desktoptest.SecretToolLookup(ctx, keystore.TestService, name)
		if err != nil || got != key {
			t.Errorf("Secret Service holds %d bytes (%v), want the minted key", len(got), err)
		}
		if _, err := tr.WaitFor(ctx, labelled(name+"/Copy key")); err != nil {
			t.Fatal(err)
		}
		expectClipboardThenCleared(t, ctx, key)
	})

	t.Run("copy key", func(t *testing.T) {
		if err := tr.Click(ctx, name+"/Copy key"); err != nil {
			t.Fatal(err)
		}
		nextNote(t, ctx, notes, `Copied key "`+name+`"`)
		expectClipboardThenCleared(t, ctx, srv.Keys()[0])
	})

	t.Run("two notifications in a row leave the tray working", func(t *testing.T) {
		// beeep and systray share dbus.SessionBus(); beeep v0.11.1 closed it
		// after a notification (gen2brain/beeep#73).
		for range 2 {
			if err := tr.Click(ctx, "About anykey"); err != nil {
				t.Fatal(err)
			}
			nextNote(t, ctx, notes, "anykey "+strings.TrimSpace(versionOf(t, bin)))
		}
		// GetLayout and a click still work: the autostart subtest clicks.
		if _, err := tr.Layout(ctx); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("start at login", func(t *testing.T) {
		file := filepath.Join(cfg, "autostart", "anykey.desktop")
		for _, want := range []int32{1, 0} {
			if err := tr.Click(ctx, "Start at login"); err != nil {
				t.Fatal(err)
			}
			if _, err := tr.WaitFor(ctx, func(items []desktoptest.MenuItem) bool {
				it, ok := desktoptest.FindItem(items, "Start at login")
				return ok && it.ToggleState == want
			}); err != nil {
				t.Fatal(err)
			}
			_, err := os.Stat(file)
			if exists := err == nil; exists != (want == 1) {
				t.Errorf("checkbox %d but %s exists=%v", want, file, exists)
			}
		}
	})

	t.Run("start at login follows the command line within 2 s", func(t *testing.T) {
		for _, tc := range []struct {
			arg  string
			want int32
		}{{"on", 1}, {"off", 0}} {
			cmd := exec.CommandContext(ctx, bin, "autostart", tc.arg)
			cmd.Env = env
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("anykey autostart %s: %v\n%s", tc.arg, err, out)
			}
			start := time.Now()
			if _, err := tr.WaitFor(ctx, func(items []desktoptest.MenuItem) bool {
				it, ok := desktoptest.FindItem(items, "Start at login")
				return ok && it.ToggleState == tc.want
			}); err != nil {
				t.Fatal(err)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("autostart %s showed in the menu after %s, want ≤ 2 s", tc.arg, took.Round(time.Millisecond))
			}
		}
	})

	t.Run("replace with a new key, after an empty OK", func(t *testing.T) {
		if len(srv.Keys()) == 0 {
			t.Fatal("no key was paired earlier: nothing to replace")
		}
		old := srv.Keys()[0]
		if err := tr.Click(ctx, name+"/Replace with a new key…"); err != nil {
			t.Fatal(err)
		}
		nextNote(t, ctx, notes, `Pairing "`+name+`" with Anytype`)
		_, code, err := srv.WaitChallenge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// OK on an empty field asks again (issue 17): it cancels nothing.
		answer(t, ctx, codeTitle, "", "Return")
		answer(t, ctx, codeTitle, code, "Return")
		n := nextNote(t, ctx, notes, `Key "`+name+`" replaced — the new one is on your clipboard`)
		keys := srv.Keys()
		if len(keys) != 2 || srv.Challenges() != 2 {
			t.Fatalf("fake minted %d keys on %d challenges, want 2 on 2", len(keys), srv.Challenges())
		}
		if strings.Contains(n.Summary+n.Body, keys[1]) || !strings.Contains(n.Body, "revoke the older of the two keys") {
			t.Errorf("notification %q", n.Body)
		}
		got, err := desktoptest.SecretToolLookup(ctx, keystore.TestService, name)
		if err != nil || got != keys[1] || got == old {
			t.Errorf("Secret Service holds %d bytes (%v), want the new key", len(got), err)
		}
		expectClipboardThenCleared(t, ctx, keys[1])
	})

	if os.Getenv("ANYKEY_SCREENSHOTS") == "1" {
		shootMenu(t, ctx)
	}

	t.Run("cancel", func(t *testing.T) {
		before := srv.Challenges()
		if err := tr.Click(ctx, "New API key…"); err != nil {
			t.Fatal(err)
		}
		answer(t, ctx, newKeyTitle, "", "Escape")
		if _, err := tr.WaitFor(ctx, labelled("New API key…")); err != nil {
			t.Fatal(err)
		}
		// Cancel at the code dialog too: nothing saved, the item comes back.
		other := randomName("tray-cancel-")
		if err := tr.Click(ctx, "New API key…"); err != nil {
			t.Fatal(err)
		}
		answer(t, ctx, newKeyTitle, other, "Return")
		if _, _, err := srv.WaitChallenge(ctx); err != nil {
			t.Fatal(err)
		}
		nextNote(t, ctx, notes, `Pairing "`+other+`" with Anytype`)
		answer(t, ctx, regexp.QuoteMeta(`pairing "`+other+`"`)+"$", "", "Escape")
		// Cancelling says so, and what to do about the open request.
		if n := nextNote(t, ctx, notes, "Pairing cancelled"); !strings.Contains(n.Body, "up to 3 minutes") {
			t.Errorf("cancel notification %q", n.Body)
		}
		if _, err := tr.WaitFor(ctx, labelled("New API key…")); err != nil {
			t.Fatal(err)
		}
		if n := srv.Challenges(); n != before+1 {
			t.Errorf("%d challenges after two cancels, want %d", n, before+1)
		}
		if _, err := desktoptest.SecretToolLookup(ctx, keystore.TestService, other); !errors.Is(err, desktoptest.ErrNoSecret) {
			t.Errorf("cancelled key in the keychain: %v", err)
		}
	})

	t.Run("second instance", func(t *testing.T) {
		cmd := exec.CommandContext(ctx, bin, "tray")
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "anykey: already running" {
			t.Errorf("second instance: %v, %q", err, out)
		}
	})

	t.Run("a key removed by the CLI leaves the menu within 2 s", func(t *testing.T) {
		cmd := exec.CommandContext(ctx, bin, "rm", name)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("anykey rm: %v\n%s", err, out)
		}
		wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if _, err := tr.WaitFor(wctx, func(items []desktoptest.MenuItem) bool {
			_, ok := desktoptest.FindItem(items, name)
			return !ok
		}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("quit", func(t *testing.T) {
		if err := tr.Click(ctx, "Quit"); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-p.done:
			if err != nil {
				t.Errorf("tray exited with %v", err)
			}
			p.done <- err // for the cleanup
		case <-time.After(5 * time.Second):
			t.Fatal("tray still running 5 s after Quit")
		}
	})
}

func versionOf(t *testing.T, bin string) string {
	t.Helper()
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "anykey ")
}

// expectClipboardThenCleared reads the key back and waits for the clearing
// helper (ANYKEY_CLIP_TIME=2s) to empty the clipboard.
func expectClipboardThenCleared(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	// The tray saves (the submenu appears) and then copies: wait for the
	// copy, which a slow clipboard tool (wl-copy under load) may finish
	// after the menu changed.
	var got string
	var err error
	for wait := time.Now().Add(3 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if got, err = desktoptest.ReadClipboard(ctx); err == nil && got == key || time.Now().After(wait) {
			break
		}
	}
	if err != nil || got != key {
		t.Fatalf("clipboard holds %d bytes (%v), want the key", len(got), err)
	}
	deadline := time.Now().Add(8 * time.Second)
	for time.Now().Before(deadline) {
		if got, _ := desktoptest.ReadClipboard(ctx); got != key {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Error("the key was still on the clipboard 8 s after a 2 s clear-after")
}
