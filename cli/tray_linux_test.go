//go:build linux

package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrayWithoutSessionBus: with no session bus the tray must not start
// (fyne.io/systray v1.12.2 would crash on quit, fyne-io/systray#121); it
// says why and what works instead.
func TestTrayWithoutSessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var stderr bytes.Buffer
	if code := runTray("", "test", &stderr); code != exitFailure {
		t.Fatalf("runTray = %d, want %d; stderr:\n%s", code, exitFailure, &stderr)
	}
	if got := stderr.String(); !strings.HasPrefix(got, "anykey: cannot start the tray: no desktop session bus") ||
		!strings.Contains(got, "anykey: hint: ") || strings.Count(got, "\n") != 2 {
		t.Errorf("stderr:\n%s", got)
	}
}
