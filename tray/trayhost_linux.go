package tray

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/anykey-app/anykey/internal/busdial"
	"github.com/godbus/dbus/v5"
)

const (
	watcherName  = "org.kde.StatusNotifierWatcher"
	watcherPath  = dbus.ObjectPath("/StatusNotifierWatcher")
	sniItemPath  = "/StatusNotifierItem" // where fyne.io/systray exports the item
	registerWait = 2 * time.Second
)

// ErrNoSessionBus means there is no D-Bus session bus to show a tray on.
var ErrNoSessionBus = errors.New("no desktop session bus")

// CheckSessionBus makes sure a session bus answers before the tray starts.
// fyne.io/systray v1.12.2 only logs when it cannot connect, then crashes
// with a nil pointer in nativeEnd when it quits (fixed upstream after
// v1.12.2: fyne-io/systray#121), so without a bus the tray must not start.
// It uses a private connection, closed after, and then makes the shared
// connection (busdial.Shared) that fyne.io/systray and beeep go on to use
// through dbus.SessionBus: made and owner-checked by busdial, not dialed
// by them unchecked. A bus that does not finish its handshake within
// busdial.Handshake is reported as such (a *busdial.SilentError,
// wrapped); one run by another user, or not on a Unix socket, as a
// *busdial.ForeignError or *busdial.TransportError, wrapped.
func CheckSessionBus() error {
	conn, err := connectBus(context.Background())
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoSessionBus, err)
	}
	conn.Close()
	if _, err := busdial.Shared(); err != nil {
		return fmt.Errorf("%w: %w", ErrNoSessionBus, err)
	}
	return nil
}

// refusedBus is the error of a session bus anykey will not use (another
// user's, or not on a Unix socket: busdial.IsRefused), nil otherwise.
// Notifications ask it first: beeep would dial godbus's shared connection
// again, unchecked, when the tray's has dropped (the user's bus ended and
// another user listens at its path now), or fall back to notify-send on
// the same address.
func refusedBus() error {
	if _, err := busdial.Shared(); busdial.IsRefused(err) {
		return err
	}
	return nil
}

// connectBus opens a private connection to the session bus the
// environment names, with a deadline on the handshake; it never starts
// a bus.
func connectBus(ctx context.Context) (*dbus.Conn, error) {
	addr := busdial.Address()
	if addr == "" {
		return nil, errors.New("DBUS_SESSION_BUS_ADDRESS is not set")
	}
	return busdial.Connect(ctx, addr)
}

// HostShowsIcons reports whether a StatusNotifierItem host is on the
// session bus. Without one fyne.io/systray only logs "failed to register"
// and the icon stays invisible (fyne-io/systray#30, tailscale#17109).
// It uses a private connection, closed after, so the shared one systray and
// beeep use is never touched.
func HostShowsIcons() bool {
	ctx, cancel := context.WithTimeout(context.Background(), registerWait)
	defer cancel()
	conn, err := connectBus(ctx)
	if err != nil {
		return false
	}
	defer conn.Close()
	var ok bool
	err = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, watcherName).Store(&ok)
	return err == nil && ok
}

// retryEvery is how long after a new watcher appears the item is
// registered again, while it is not listed.
var retryEvery = []time.Duration{100 * time.Millisecond, 250 * time.Millisecond,
	500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}

// keepRegistered registers the tray item again whenever a
// StatusNotifierWatcher appears after the tray, until the watcher lists it.
// fyne.io/systray v1.12.2 registers once, on the NameOwnerChanged signal;
// the Haskell status-notifier-watcher owns its name before it exports
// /StatusNotifierWatcher, so that one call fails with UnknownObject and the
// icon never shows (docs/desktop-testing.md §5). It runs on the shared session
// connection, the one systray exports the item on: the watcher takes the
// caller's unique name as the item's service. It returns when ctx ends.
func keepRegistered(ctx context.Context, logf func(string, ...any)) {
	conn, err := busdial.Shared()
	if err != nil {
		return
	}
	rule := []dbus.MatchOption{
		dbus.WithMatchObjectPath("/org/freedesktop/DBus"),
		dbus.WithMatchInterface("org.freedesktop.DBus"),
		dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"),
		dbus.WithMatchArg(0, watcherName),
	}
	if err := conn.AddMatchSignalContext(ctx, rule...); err != nil {
		return
	}
	sigs := make(chan *dbus.Signal, 10)
	conn.Signal(sigs)
	defer func() {
		conn.RemoveSignal(sigs)
		conn.RemoveMatchSignalContext(context.Background(), rule...)
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case sig := <-sigs:
			if sig == nil || sig.Name != "org.freedesktop.DBus.NameOwnerChanged" || len(sig.Body) < 3 {
				continue
			}
			if name, _ := sig.Body[0].(string); name != watcherName {
				continue
			}
			if owner, _ := sig.Body[2].(string); owner != "" {
				if ok := registerUntilListed(ctx, conn); ok {
					logf("a tray host appeared and lists the tray icon")
				}
			}
		}
	}
}

// registerUntilListed retries RegisterStatusNotifierItem until the watcher
// lists this connection's item; false if it never did.
func registerUntilListed(ctx context.Context, conn *dbus.Conn) bool {
	watcher := conn.Object(watcherName, watcherPath)
	for _, d := range retryEvery {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(d):
		}
		if listed(ctx, conn) {
			return true
		}
		cctx, cancel := context.WithTimeout(ctx, registerWait)
		watcher.CallWithContext(cctx, watcherName+".RegisterStatusNotifierItem", 0, sniItemPath)
		cancel()
	}
	return listed(ctx, conn)
}

// listed reports whether the watcher lists an item of this connection
// (":1.N" for the Haskell watcher, ":1.N/StatusNotifierItem" for xfce).
func listed(ctx context.Context, conn *dbus.Conn) bool {
	cctx, cancel := context.WithTimeout(ctx, registerWait)
	defer cancel()
	var v dbus.Variant
	err := conn.Object(watcherName, watcherPath).CallWithContext(cctx, "org.freedesktop.DBus.Properties.Get", 0,
		watcherName, "RegisteredStatusNotifierItems").Store(&v)
	items, _ := v.Value().([]string)
	me := conn.Names()[0]
	return err == nil && slices.ContainsFunc(items, func(s string) bool { return s == me || s == me+sniItemPath })
}
