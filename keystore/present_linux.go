package keystore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"

	"github.com/godbus/dbus/v5"
)

const (
	ssName    = "org.freedesktop.secrets"
	ssPath    = "/org/freedesktop/secrets"
	ssService = "org.freedesktop.Secret.Service"
	ssItem    = "org.freedesktop.Secret.Item"
	propsGet  = "org.freedesktop.DBus.Properties.Get"

	// itemCacheName maps Secret Service item paths to key names. It holds
	// nothing secret: paths like /org/freedesktop/secrets/collection/login/7
	// and the names that are in keys.json anyway.
	itemCacheName = "keys.json.items"
)

// platformPresent asks the Secret Service which names have a secret.
//
// go-keyring v0.2.8 has no list call (zalando/go-keyring#133) and a Get
// costs ~15 ms, so this talks D-Bus directly: one SearchItems on the
// service attribute returns every anykey item, unlocked or locked, without
// an unlock prompt. Only paths, though, and gnome-keyring answers each
// per-item call in ~0.1 ms even pipelined (measured: 100 Attributes reads
// take 10 ms, twice the 5 ms budget of a 100-key `anykey list`). So the
// path → name mapping is cached in dir/keys.json.items: only paths not in
// the cache are read, normally none, because [afterSet] records each item
// anykey creates. Item paths are not reused while gnome-keyring runs; a
// cached path can only go stale if an item is deleted outside anykey and
// the daemon restarts and hands its number to a new item with the same
// service attribute before any list — then one Missing flag is wrong until
// anykey next saves that key. Get never uses the cache.
//
// It uses the process's shared session bus connection, the one go-keyring
// uses too, so a process that lists then gets pays for one connection.
func platformPresent(ctx context.Context, dir, service string, names []string) (map[string]bool, error) {
	conn, err := dbus.SessionBus()
	if err != nil {
		return nil, err
	}
	var unlocked, locked []dbus.ObjectPath
	err = conn.Object(ssName, ssPath).CallWithContext(ctx, ssService+".SearchItems", 0,
		map[string]string{"service": service}).Store(&unlocked, &locked)
	if err != nil {
		return nil, err
	}
	cache := loadItemCache(dir)
	live := make(map[dbus.ObjectPath]string, len(unlocked)+len(locked))
	var unknown []dbus.ObjectPath
	for _, p := range append(unlocked, locked...) {
		if name, ok := cache[p]; ok {
			live[p] = name
		} else {
			unknown = append(unknown, p)
		}
	}
	calls := make([]*dbus.Call, len(unknown))
	for i, p := range unknown {
		calls[i] = conn.Object(ssName, p).GoWithContext(ctx, propsGet, 0, nil, ssItem, "Attributes")
	}
	attrsFailed := false
	for i, c := range calls {
		<-c.Done
		var attrs map[string]string
		if err := c.Store(&attrs); err != nil {
			attrsFailed = true
			continue
		}
		if attrs["service"] == service {
			live[unknown[i]] = attrs["username"]
		}
	}
	found := make(map[string]bool, len(live))
	for _, name := range live {
		found[name] = true
	}
	if !maps.Equal(live, cache) {
		saveItemCache(dir, live)
	}
	if !attrsFailed {
		return found, nil
	}
	// A provider may hide the attributes of a locked item (gnome-keyring
	// shows them). Searching by both attributes works without unlocking,
	// so ask for the names still unaccounted for, all at once.
	var rest []string
	for _, n := range names {
		if !found[n] {
			rest = append(rest, n)
		}
	}
	more, err := searchEach(ctx, conn, service, rest)
	maps.Copy(found, more)
	return found, err
}

// afterSet records the path of the item go-keyring just wrote, so the next
// list needs no per-item call for it. Best effort: a failure only costs
// one Attributes read later.
func afterSet(dir, service, user string) {
	if dir == "" {
		return
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		return
	}
	var unlocked, locked []dbus.ObjectPath
	err = conn.Object(ssName, ssPath).Call(ssService+".SearchItems", 0,
		map[string]string{"service": service, "username": user}).Store(&unlocked, &locked)
	if err != nil {
		return
	}
	cache := loadItemCache(dir)
	if cache == nil {
		cache = map[dbus.ObjectPath]string{}
	}
	for _, p := range append(unlocked, locked...) {
		cache[p] = user
	}
	saveItemCache(dir, cache)
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
			return found, fmt.Errorf("searching the keychain: %w", err)
		}
		if len(unlocked)+len(locked) > 0 {
			found[names[i]] = true
		}
	}
	return found, nil
}

// loadItemCache reads the cache; any problem means an empty cache.
func loadItemCache(dir string) map[dbus.ObjectPath]string {
	if dir == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(dir, itemCacheName))
	if err != nil {
		return nil
	}
	var c map[dbus.ObjectPath]string
	if json.Unmarshal(data, &c) != nil {
		return nil
	}
	return c
}

// saveItemCache replaces the cache atomically, last writer wins (losing a
// concurrent update only costs a re-read). It never creates the config
// dir: with no dir there is nothing to list.
func saveItemCache(dir string, c map[dbus.ObjectPath]string) {
	if dir == "" {
		return
	}
	data, err := json.Marshal(c)
	if err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, itemCacheName+".tmp*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr != nil || cerr != nil ||
		os.Rename(tmp.Name(), filepath.Join(dir, itemCacheName)) != nil {
		os.Remove(tmp.Name())
	}
}

// itemVanished reports whether err is the Secret Service saying the item
// go-keyring had just found is gone: it searches, then calls the item, and
// an item deleted in between (a concurrent `anykey rm`) answers with one
// of these D-Bus errors. gnome-keyring 42 sends UnknownMethod with "Object
// does not exist at path …", or "No such interface …" on a path that is
// being torn down; the others are what the D-Bus spec names for the case.
func itemVanished(err error) bool {
	var de dbus.Error
	if !errors.As(err, &de) {
		return false
	}
	switch de.Name {
	case "org.freedesktop.DBus.Error.UnknownObject",
		"org.freedesktop.DBus.Error.UnknownInterface",
		"org.freedesktop.DBus.Error.UnknownMethod":
		return true
	}
	return false
}
