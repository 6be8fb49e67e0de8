package keystore

import (
	"context"
	"fmt"

	"github.com/godbus/dbus/v5"
)

const (
	ssName    = "org.freedesktop.secrets"
	ssPath    = "/org/freedesktop/secrets"
	ssService = "org.freedesktop.Secret.Service"
	ssItem    = "org.freedesktop.Secret.Item"
	propsGet  = "org.freedesktop.DBus.Properties.Get"
)

// platformPresent asks the Secret Service which names have a secret, in two
// steps instead of one go-keyring Get (~15 ms) per name: one SearchItems on
// the service attribute, which returns unlocked and locked items alike
// without any unlock prompt, then the Attributes of every hit, all calls
// sent at once on one connection. go-keyring v0.2.8 has no list call
// (zalando/go-keyring#133), hence the direct D-Bus.
//
// It uses the process's shared session bus connection, the one go-keyring
// uses too, so a process that lists then gets pays for one connection.
func platformPresent(ctx context.Context, service string, names []string) (map[string]bool, error) {
	conn, err := dbus.SessionBus()
	if err != nil {
		return nil, err
	}
	svc := conn.Object(ssName, ssPath)
	var unlocked, locked []dbus.ObjectPath
	err = svc.CallWithContext(ctx, ssService+".SearchItems", 0, map[string]string{"service": service}).
		Store(&unlocked, &locked)
	if err != nil {
		return nil, err
	}
	items := append(unlocked, locked...)
	calls := make([]*dbus.Call, len(items))
	for i, p := range items {
		calls[i] = conn.Object(ssName, p).GoWithContext(ctx, propsGet, 0, nil, ssItem, "Attributes")
	}
	found := make(map[string]bool, len(items))
	var attrErr error
	for _, c := range calls {
		<-c.Done
		var attrs map[string]string
		if err := c.Store(&attrs); err != nil {
			attrErr = err
			continue
		}
		if attrs["service"] == service {
			found[attrs["username"]] = true
		}
	}
	if attrErr == nil {
		return found, nil
	}
	// A provider may refuse to show the attributes of a locked item
	// (gnome-keyring shows them). Searching by both attributes still
	// works without unlocking, so ask per name, again all at once.
	return searchEach(ctx, conn, service, names)
}

// searchEach runs one SearchItems per name, pipelined.
func searchEach(ctx context.Context, conn *dbus.Conn, service string, names []string) (map[string]bool, error) {
	svc := conn.Object(ssName, ssPath)
	calls := make([]*dbus.Call, len(names))
	for i, name := range names {
		calls[i] = svc.GoWithContext(ctx, ssService+".SearchItems", 0, nil,
			map[string]string{"service": service, "username": name})
	}
	found := make(map[string]bool, len(names))
	for i, c := range calls {
		<-c.Done
		var unlocked, locked []dbus.ObjectPath
		if err := c.Store(&unlocked, &locked); err != nil {
			return nil, fmt.Errorf("searching the keychain: %w", err)
		}
		if len(unlocked)+len(locked) > 0 {
			found[names[i]] = true
		}
	}
	return found, nil
}
