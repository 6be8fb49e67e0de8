package tray_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// With ANYKEY_SCREENSHOTS=1 the e2e test refreshes the README's images.

func docsPath(name string) string { return filepath.Join("..", "docs", name) }

func xrun(t *testing.T, ctx context.Context, name string, args ...string) {
	t.Helper()
	if out, err := exec.CommandContext(ctx, name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// shootDialog saves the dialog titled re (the window alone).
func shootDialog(t *testing.T, ctx context.Context, re string) {
	t.Helper()
	wid, err := desktoptest.WaitWindow(ctx, re)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond) // let GTK finish drawing
	xrun(t, ctx, "import", "-window", wid, docsPath("code-dialog.png"))
}

// shootMenu opens the tray menu through the real host with the mouse
// (gtk-sni-tray-standalone sits bottom-right: docs/desktop-testing.md §5), saves
// the bottom-right corner of the screen, and closes the menu again.
func shootMenu(t *testing.T, ctx context.Context) {
	t.Helper()
	xrun(t, ctx, "xdotool", "mousemove", "1264", "784", "click", "1")
	time.Sleep(800 * time.Millisecond)
	full := filepath.Join(t.TempDir(), "screen.png")
	if err := desktoptest.Screenshot(ctx, full); err != nil {
		t.Fatal(err)
	}
	xrun(t, ctx, "convert", full, "-crop", "520x250+760+550", "+repage", docsPath("tray-menu.png"))
	xrun(t, ctx, "xdotool", "key", "Escape")
	time.Sleep(200 * time.Millisecond)
}
