package tray

import (
	"context"
	"strings"
	"time"

	"github.com/anykey-app/anykey/internal/busdial"
	"github.com/godbus/dbus/v5"
)

// The Secret Service signals that say a collection was locked, unlocked,
// created or removed (Secret Service API, org.freedesktop.Secret.Service;
// gnome-keyring sends CollectionChanged and the collection's
// PropertiesChanged on Lock and Unlock, seen with dbus-monitor), and the
// Secret Service itself starting or stopping.
var keychainRules = [][]dbus.MatchOption{
	{
		dbus.WithMatchSender("org.freedesktop.secrets"),
		dbus.WithMatchInterface("org.freedesktop.Secret.Service"),
	},
	{
		dbus.WithMatchSender("org.freedesktop.secrets"),
		dbus.WithMatchInterface("org.freedesktop.DBus.Properties"),
		dbus.WithMatchMember("PropertiesChanged"),
		dbus.WithMatchPathNamespace("/org/freedesktop/secrets/collection"),
	},
	{
		dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchInterface("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"),
		dbus.WithMatchArg(0, "org.freedesktop.secrets"),
	},
}

// keychainSettle lets a burst of signals for one change (CollectionChanged
// and PropertiesChanged for each collection) end before the keys are read
// again.
const keychainSettle = 100 * time.Millisecond

// WatchKeychain calls changed when the keychain is locked or unlocked, or
// its Secret Service starts or stops, until ctx ends. It listens on the
// shared session bus connection: the bus sends the signals, nothing is
// polled, so an idle keychain never wakes the tray.
func WatchKeychain(ctx context.Context, changed func(), logf func(string, ...any)) {
	conn, err := busdial.Shared()
	if err != nil {
		return // no bus: no keychain to watch (the tray says so elsewhere)
	}
	sigs := make(chan *dbus.Signal, 16)
	conn.Signal(sigs)
	defer conn.RemoveSignal(sigs)
	for _, rule := range keychainRules {
		if err := conn.AddMatchSignalContext(ctx, rule...); err != nil {
			logf("watching the keychain for lock and unlock: %v", err)
			return
		}
		defer conn.RemoveMatchSignalContext(context.Background(), rule...)
	}
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	defer settle.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case s, ok := <-sigs:
			if !ok {
				return
			}
			if keychainSignal(s) {
				settle.Reset(keychainSettle)
			}
		case <-settle.C:
			changed()
		}
	}
}

// keychainSignal reports whether s is one of keychainRules' signals; the
// channel also gets every other signal of the shared connection.
func keychainSignal(s *dbus.Signal) bool {
	switch s.Name {
	case "org.freedesktop.Secret.Service.CollectionChanged",
		"org.freedesktop.Secret.Service.CollectionCreated",
		"org.freedesktop.Secret.Service.CollectionDeleted":
		return true
	case "org.freedesktop.DBus.Properties.PropertiesChanged":
		return strings.HasPrefix(string(s.Path), "/org/freedesktop/secrets/collection/")
	case "org.freedesktop.DBus.NameOwnerChanged":
		if len(s.Body) != 3 {
			return false
		}
		name, _ := s.Body[0].(string)
		return name == "org.freedesktop.secrets"
	}
	return false
}
