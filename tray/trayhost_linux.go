package tray

import (
	"context"
	"time"

	"github.com/godbus/dbus/v5"
)

// HostShowsIcons reports whether a StatusNotifierItem host is on the
// session bus. Without one fyne.io/systray only logs "failed to register"
// and the icon stays invisible (fyne-io/systray#30, tailscale#17109).
// It uses a private connection, closed after, so the shared one systray and
// beeep use is never touched.
func HostShowsIcons() bool {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var ok bool
	err = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&ok)
	return err == nil && ok
}
