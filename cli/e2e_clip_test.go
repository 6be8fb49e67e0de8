package cli

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// clipboardText reads the session's clipboard with its own tool (xclip on
// X11, wl-paste on Wayland).
func clipboardText() string {
	out, err := desktoptest.ReadClipboard(context.Background())
	if err != nil {
		return "" // no owner: empty
	}
	return out
}

// TestE2EClipboardNewestCopyDecides: a later copy supersedes every clear
// still pending from earlier ones (each copy is its own anykey process),
// and --clear-after 0 after a timed copy means the key stays.
func TestE2EClipboardNewestCopyDecides(t *testing.T) {
	t.Parallel()
	desktoptest.Require(t, desktoptest.Display, desktoptest.SecretService)
	e, name, key := savedKeyE2E(t)
	desktoptest.LockGUI(t) // the clipboard is shared with every test binary
	t.Cleanup(func() { _ = desktoptest.WriteClipboard(context.Background(), "") })

	start := time.Now()
	if r := e.run(nil, "copy", name, "--clear-after", "2s"); r.code != 0 {
		t.Fatalf("copy: %s", r.stderr)
	}
	time.Sleep(time.Second)
	if r := e.run(nil, "copy", name, "--clear-after", "4s"); r.code != 0 {
		t.Fatalf("second copy: %s", r.stderr)
	}
	time.Sleep(time.Until(start.Add(3500 * time.Millisecond)))
	if clipboardText() != key {
		t.Fatalf("the first copy's clear emptied the clipboard after the second copy")
	}
	deadline := start.Add(9 * time.Second)
	for clipboardText() != "" {
		if time.Now().After(deadline) {
			t.Fatal("the second copy's clear did not happen")
		}
		time.Sleep(100 * time.Millisecond)
	}

	if r := e.run(nil, "copy", name, "--clear-after", "1s"); r.code != 0 {
		t.Fatalf("copy: %s", r.stderr)
	}
	if r := e.run(nil, "copy", name, "--clear-after", "0"); r.code != 0 || !strings.Contains(r.stderr, "will not be cleared") {
		t.Fatalf("copy --clear-after 0: %s", r.stderr)
	}
	time.Sleep(2500 * time.Millisecond)
	if clipboardText() != key {
		t.Errorf("--clear-after 0 after a timed copy: the clipboard was cleared anyway")
	}
}

func TestE2EClipboardToolMessage(t *testing.T) {
	t.Parallel()
	desktoptest.Require(t, desktoptest.SecretService)
	if _, err := exec.LookPath("xclip"); err != nil {
		t.Fatal("xclip is needed (scripts/install-test-deps.sh installs it)")
	}
	e, name, _ := savedKeyE2E(t)
	// Its own XDG_RUNTIME_DIR: nothing here may touch the clears of the
	// tests that use the real clipboard.
	e.extra = []string{"DISPLAY=:97", "WAYLAND_DISPLAY=", "XDG_RUNTIME_DIR=" + t.TempDir()}
	r := e.run(nil, "copy", name)
	if r.code != 1 || !strings.Contains(r.stderr, "t open display :97") || !strings.Contains(r.stderr, "hint: the clipboard needs") {
		t.Errorf("copy with a dead DISPLAY: exit %d\n%s", r.code, r.stderr)
	}
	for _, v := range []string{"18446744074", "25h"} {
		if r := e.run(nil, "copy", name, "--clear-after", v); r.code != 2 {
			t.Errorf("--clear-after %s: exit %d, want 2\n%s", v, r.code, r.stderr)
		}
	}
}
