//go:build linux

package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/busdial"
	"github.com/anykey-app/anykey/internal/desktoptest"
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

// TestTraySilentSessionBus: an address whose socket accepts and never
// answers (a session that has ended) must not hold the tray for ever: it
// gives up after busdial.Handshake and says what to check.
func TestTraySilentSessionBus(t *testing.T) {
	path, _ := desktoptest.SilentListener(t, "unix", filepath.Join(t.TempDir(), "bus"))
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+path)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var stderr bytes.Buffer
	start := time.Now()
	if code := runTray("", "test", &stderr); code != exitFailure {
		t.Fatalf("runTray = %d, want %d; stderr:\n%s", code, exitFailure, &stderr)
	}
	if took := time.Since(start); took > busdial.Handshake+3*time.Second {
		t.Errorf("runTray gave up after %s", took)
	}
	got := stderr.String()
	if !strings.HasPrefix(got, "anykey: cannot start the tray: no desktop session bus: the D-Bus session bus at ") ||
		!strings.Contains(got, "did not answer within") || !strings.Contains(got, "anykey: hint: DBUS_SESSION_BUS_ADDRESS") ||
		strings.Count(got, "\n") != 2 {
		t.Errorf("stderr:\n%s", got)
	}
}
