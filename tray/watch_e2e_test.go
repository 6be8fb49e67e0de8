package tray_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// TestE2EWatchKeysFromTheCLI: the real tray, started before any key was
// ever saved (no config directory yet: the tray makes it, 0700, to watch
// it), shows keys the CLI adds and drops keys it removes within 2 s each —
// through keys.json being watched, with the real keystore writing it and
// the real Secret Service holding keys.
func TestE2EWatchKeysFromTheCLI(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display, desktoptest.SecretService, desktoptest.TrayHost)
	desktoptest.LockGUI(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	bin := buildBinary(t)
	srv := fakeanytype.Start(t, fakeanytype.Config{})
	cfg, run := t.TempDir(), t.TempDir()
	env := append(testEnviron(),
		"XDG_CONFIG_HOME="+filepath.Join(cfg, "not-yet"),
		"APPDATA="+filepath.Join(cfg, "not-yet"), // Windows' config dir
		"XDG_RUNTIME_DIR="+run,
		"ANYKEY_API_URL="+srv.URL(),
	)
	names := []string{randomName("watch-e2e-"), randomName("watch-e2e-")}
	t.Cleanup(func() {
		for _, n := range names {
			exec.Command("secret-tool", "clear", "service", keystore.TestService, "username", n).Run()
		}
	})

	p := startTray(t, bin, env)
	tr, err := desktoptest.FindTray(ctx, p.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.WaitFor(ctx, labelled("Anytype: connected (API 2025-11-08)")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(cfg, "not-yet", "anykey")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("config directory after start: %v, %v; want a 0700 directory", fi, err)
	}
	cli := func(stdin string, args ...string) {
		t.Helper()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("anykey %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	within2s := func(what string, pred func([]desktoptest.MenuItem) bool) {
		t.Helper()
		wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if _, err := tr.WaitFor(wctx, pred); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	gone := func(name string) func([]desktoptest.MenuItem) bool {
		return func(items []desktoptest.MenuItem) bool { _, ok := desktoptest.FindItem(items, name); return !ok }
	}

	// The first key creates the config directory and keys.json.
	cli("first-key-value\n", "add", names[0], "--no-verify")
	within2s("first key from the CLI", labelled(names[0]))
	cli("second-key-value\n", "add", names[1], "--no-verify")
	within2s("second key from the CLI", labelled(names[1]))
	cli("", "rm", names[0])
	within2s("key removed by the CLI", gone(names[0]))
	if _, ok := desktoptest.FindItem(mustLayout(t, ctx, tr), names[1]); !ok {
		t.Errorf("%s left the menu with %s", names[1], names[0])
	}
}

func mustLayout(t *testing.T, ctx context.Context, tr *desktoptest.Tray) []desktoptest.MenuItem {
	t.Helper()
	items, err := tr.Layout(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// testEnviron is this process's environment without the user's
// ANYKEY_CONFIG_DIR, which outranks the XDG_CONFIG_HOME and APPDATA each
// test sets: with it a tray under test would save into, and a cleanup
// remove from, the user's own keys.json.
func testEnviron() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, keystore.EnvDir+"=") })
}
