//go:build linux || freebsd || openbsd || netbsd || dragonfly

package clip

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// TestCopyDesktop runs the real clipboard (xclip on X11, wl-clipboard on
// Wayland, as atotto/clipboard picks) and the real detached helper (this
// test binary, see TestMain).
func TestCopyDesktop(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display)
	desktoptest.LockGUI(t) // the clipboard is shared with every test binary in the session
	if unsupported() {
		t.Fatalf("no clipboard tool in the desktop session: %s", InstallHint())
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	old := executable
	executable = func() (string, error) { return self, nil }
	t.Cleanup(func() { executable = old })

	t.Run("cleared when unchanged", func(t *testing.T) {
		secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
		if err := Copy(secret, 700*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if got := clipboardText(t); got != secret {
			t.Fatalf("clipboard right after Copy does not hold the secret")
		}
		assertNotInArgvOrEnv(t, secret)
		waitFor(t, 5*time.Second, func() bool { return clipboardText(t) == "" })
	})
	t.Run("marked secret", func(t *testing.T) {
		secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
		if err := Copy(secret, 30*time.Second); err != nil {
			t.Fatal(err)
		}
		types := offeredTypes(t)
		t.Logf("offered: %s", strings.Join(types, " "))
		for _, want := range []string{HintTarget, "UTF8_STRING", "text/plain;charset=utf-8", "TEXT", "STRING"} {
			if !slices.Contains(types, want) {
				t.Errorf("the clipboard does not offer %s: %q", want, types)
			}
		}
		if got := readTarget(t, HintTarget); got != "secret" {
			t.Errorf("%s = %q, want secret", HintTarget, got)
		}
		for _, typ := range []string{"UTF8_STRING", "text/plain;charset=utf-8", "TEXT", "STRING"} {
			if got := readTarget(t, typ); got != secret {
				t.Errorf("%s does not give the key: %d bytes", typ, len(got))
			}
		}
		// A later copy takes over; the user's copy is not marked.
		if err := desktoptest.WriteClipboard(t.Context(), "the user's text"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 5*time.Second, func() bool { return !slices.Contains(offeredTypes(t), HintTarget) })
	})
	t.Run("no byte on disk", func(t *testing.T) {
		since := time.Now()
		secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
		if err := Copy(secret, 1500*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if got := clipboardText(t); got != secret {
			t.Fatalf("clipboard right after Copy does not hold the secret")
		}
		assertNotOnDisk(t, "while on the clipboard", secret, since)
		waitFor(t, 5*time.Second, func() bool { return clipboardText(t) == "" })
		assertNotOnDisk(t, "after the clear", secret, since)

		// A logout: whatever serves the clipboard gets SIGTERM.
		secret += "-term"
		before := servers(t)
		if err := Copy(secret, time.Minute); err != nil {
			t.Fatal(err)
		}
		pid := newServer(t, before)
		if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 5*time.Second, func() bool { return syscall.Kill(pid, 0) != nil })
		if got := clipboardText(t); got == secret {
			t.Errorf("the key is still on the clipboard after its server ended")
		}
		assertNotOnDisk(t, "after SIGTERM of the server", secret, since)
	})
	t.Run("cleared when another owner took the same text", func(t *testing.T) {
		// A clipboard manager that takes the clipboard over with the key
		// (or a paste-and-copy of it): the server lost the clipboard, and
		// clears it at the end of the delay all the same.
		// The server no longer serves the key: it ends at once, and a
		// helper that holds only a fingerprint of the key clears.
		secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
		before, helpersBefore := servers(t), helpers()
		// The helper lives until the deadline: long enough that a loaded
		// machine still finds it (with 3 s it had cleared and ended before
		// the test looked, in CI).
		if err := Copy(secret, 12*time.Second); err != nil {
			t.Fatal(err)
		}
		pid := newServer(t, before)
		// The scan below finds the key where it is: in the server.
		if n, err := memCount(pid, secret); err != nil || n == 0 {
			t.Fatalf("the serving server's memory holds the key %d times (%v), want at least once", n, err)
		}
		if err := desktoptest.WriteClipboard(t.Context(), secret); err != nil {
			t.Fatal(err)
		}
		// xclip and wl-copy own the clipboard from a background child,
		// a moment after they return.
		waitFor(t, 5*time.Second, func() bool { return !slices.Contains(offeredTypes(t), HintTarget) })
		waitFor(t, 3*time.Second, func() bool { return syscall.Kill(pid, 0) != nil || zombie(pid) })
		var helper int
		waitFor(t, 3*time.Second, func() bool { helper = newHelper(helpersBefore); return helper != 0 })
		if n, err := memCount(helper, secret); err != nil || n > 0 {
			t.Errorf("the clearing helper's memory holds the key %d times (%v)", n, err)
		}
		waitFor(t, 20*time.Second, func() bool { return clipboardText(t) == "" })
	})
	t.Run("an older copy's deadline does not clear a newer copy of the same key", func(t *testing.T) {
		// Issue 20: the newer copy's process is descheduled once its
		// server owns the clipboard (a loaded machine), and the older
		// server's deadline passes meanwhile. It must find itself
		// superseded, not the same key under its own generation.
		secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
		if err := Copy(secret, time.Second); err != nil {
			t.Fatal(err)
		}
		serve := serveHook
		serveHook = func(s string, d time.Duration, gen string) (bool, error) {
			ok, err := serve(s, d, gen)
			time.Sleep(2 * time.Second)
			return ok, err
		}
		before := servers(t)
		err := Copy(secret, 30*time.Second)
		serveHook = serve
		if err != nil {
			t.Fatal(err)
		}
		pid := newServer(t, before)
		t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGTERM) })
		if got := clipboardText(t); got != secret {
			t.Fatalf("the older copy's clear emptied the newer copy of the same key (clipboard: %d bytes)", len(got))
		}
	})
	t.Run("a superseded server ends at once", func(t *testing.T) {
		// It no longer serves the key: the key must not stay in its
		// memory until its own deadline.
		for _, same := range []bool{true, false} {
			secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
			before := servers(t)
			if err := Copy(secret, time.Minute); err != nil {
				t.Fatal(err)
			}
			older := newServer(t, before)
			t.Cleanup(func() { _ = syscall.Kill(older, syscall.SIGTERM) })
			if !same {
				secret += "-other"
			}
			before = servers(t)
			if err := Copy(secret, time.Minute); err != nil {
				t.Fatal(err)
			}
			newer := newServer(t, before)
			t.Cleanup(func() { _ = syscall.Kill(newer, syscall.SIGTERM) })
			start := time.Now()
			waitFor(t, 3*time.Second, func() bool { return syscall.Kill(older, 0) != nil || zombie(older) })
			t.Logf("same key %v: the superseded server ended %v after the newer copy", same, time.Since(start).Round(time.Millisecond))
			if got := clipboardText(t); got != secret {
				t.Errorf("same key %v: the newer copy is not on the clipboard", same)
			}
			if syscall.Kill(newer, 0) != nil || zombie(newer) {
				t.Errorf("same key %v: the newer copy's server ended", same)
			}
		}
	})
	t.Run("an older clear does not fall between a newer copy's steps", func(t *testing.T) {
		// A clipboard manager took the key over, so the older copy is
		// not superseded and its helper clears at its deadline; a newer copy of the
		// same key made between its check and its clear waits for the
		// clear (the clipboard lock), then owns the clipboard.
		secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
		paused := filepath.Join(t.TempDir(), "paused")
		os.Setenv(envPauseBeforeClear, paused)
		helpersBefore := helpers()
		err := Copy(secret, 1500*time.Millisecond)
		os.Unsetenv(envPauseBeforeClear)
		if err != nil {
			t.Fatal(err)
		}
		if err := desktoptest.WriteClipboard(t.Context(), secret); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 5*time.Second, func() bool { return !slices.Contains(offeredTypes(t), HintTarget) })
		waitFor(t, 10*time.Second, func() bool { _, err := os.Stat(paused); return err == nil })
		older := newHelper(helpersBefore) // the lost server handed its clear to it
		if older == 0 {
			t.Fatal("no clearing helper of the older copy found")
		}
		before := servers(t)
		if err := Copy(secret, 30*time.Second); err != nil {
			t.Fatal(err)
		}
		newer := newServer(t, before)
		t.Cleanup(func() { _ = syscall.Kill(newer, syscall.SIGTERM) })
		waitFor(t, 10*time.Second, func() bool { return syscall.Kill(older, 0) != nil || zombie(older) })
		if got := clipboardText(t); got != secret || !slices.Contains(offeredTypes(t), HintTarget) {
			t.Errorf("the older clear emptied the newer copy of the same key (clipboard: %d bytes)", len(got))
		}
	})
	t.Run("a paster that stops reading does not hold the server", func(t *testing.T) {
		if !desktoptest.Wayland() {
			t.Skip("Wayland only: on X11 the whole text goes into one property, with no pipe to block on")
		}
		big := strings.Repeat("k", 900<<10) // far more than two pipe buffers
		before := servers(t)
		if err := Copy(big, time.Second); err != nil {
			t.Fatal(err)
		}
		pid := newServer(t, before)
		// wl-paste copies the pipe from the server to its stdout, a pipe
		// nobody reads: both fill, and the server's write blocks.
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		paste := exec.Command("wl-paste", "--no-newline")
		paste.Stdout = w
		if err := paste.Start(); err != nil {
			t.Fatal(err)
		}
		w.Close()
		defer func() { paste.Process.Kill(); paste.Wait() }()
		// Cleared after 1 s; the stalled write gives up after its 5 s
		// deadline, and the server ends.
		waitFor(t, 10*time.Second, func() bool { return syscall.Kill(pid, 0) != nil || zombie(pid) })
	})
	t.Run("a stale WAYLAND_DISPLAY falls back to X11", func(t *testing.T) {
		if desktoptest.Wayland() {
			t.Skip("X11 only: the Wayland cells have no X server")
		}
		secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
		os.Setenv("WAYLAND_DISPLAY", filepath.Join(t.TempDir(), "wayland-gone"))
		err := Copy(secret, 30*time.Second)
		os.Unsetenv("WAYLAND_DISPLAY") // the readers below pick X11 again
		if err != nil {
			t.Fatal(err)
		}
		if got := readTarget(t, HintTarget); got != "secret" || clipboardText(t) != secret {
			t.Errorf("the key is not on the X11 clipboard, marked")
		}
	})
	t.Run("Describe", func(t *testing.T) {
		if err := desktoptest.WriteClipboard(t.Context(), "the user's text"); err != nil {
			t.Fatal(err)
		}
		// xclip's background child takes the selection after its parent
		// has returned: wait for it.
		waitFor(t, 5*time.Second, func() bool { return clipboardText(t) == "the user's text" })
		tool, err := Describe()
		if err != nil {
			t.Fatal(err)
		}
		want := "X11"
		if desktoptest.Wayland() {
			want = "data_control"
		}
		if !tool.MarksSecret || !strings.Contains(tool.Name, want) {
			t.Errorf("Describe() = %+v, want anykey's own %s owner, marking copies", tool, want)
		}
		if got := clipboardText(t); got != "the user's text" {
			t.Errorf("Describe changed the clipboard: %q", got)
		}
		t.Logf("Describe() = %+v", tool)
	})
	t.Run("left alone when the user copied something else", func(t *testing.T) {
		secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
		if err := Copy(secret, 700*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if err := desktoptest.WriteClipboard(t.Context(), "the user's text"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1500 * time.Millisecond)
		if got := clipboardText(t); got != "the user's text" {
			t.Errorf("clipboard = %q, want the user's text untouched", got)
		}
	})
}
