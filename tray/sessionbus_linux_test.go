package tray

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestCheckSessionBusWithoutBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	if err := CheckSessionBus(); !errors.Is(err, ErrNoSessionBus) {
		t.Fatalf("CheckSessionBus() = %v, want ErrNoSessionBus", err)
	}
}
