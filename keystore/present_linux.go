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
// per-item call in ~0.08 ms even pipelined on a synchronous client
// (measured: 100 Attributes reads add 8 ms to the process, well over the
// 5 ms budget of a 100-key `anykey list`). So the path → name mapping is
// cached in dir/keys.json.items: only paths not in the cache are read,
// normally none, because [afterSet] records each item anykey creates.
// Item paths are not reused while gnome-keyring runs; a cached path can
// only go stale if an item is deleted outside anykey and the daemon
// restarts and hands its number to a new item with the same service
// attribute before any list — then one Missing flag is wrong until anykey
// next saves that key. Get never uses the cache.
//
// The calls go over the synchronous client of secretservice_linux.go,
// which saves godbus's ~2.4 ms connection cost. If that client cannot be
// used or gets an answer it does not expect, the whole check runs again
// over godbus, so a failure there costs time, never a wrong answer.
func platformPresent(ctx context.Context, dir, service string, names []string) (map[string]bool, error) {
	return presentVia(ctx, os.Getenv("DBUS_SESSION_BUS_ADDRESS"), dir, service, names)
}

// presentVia is platformPresent with the raw client dialling addr.
func presentVia(ctx context.Context, addr, dir, service string, names []string) (map[string]bool, error) {
	bus, err := dialRawBus(ctx, addr)
	if err == nil {
		var found map[string]bool
		found, err = present(ctx, rawSecrets{bus}, dir, service, names)
		bus.Close()
		if err == nil {
			return found, nil
		}
	}
	if ctx.Err() != nil {
		return nil, err
	}
	conn, gerr := dbus.SessionBus()
	if gerr != nil {
		return nil, gerr
	}
	return present(ctx, godbusSecrets{conn}, dir, service, names)
}

// secretsClient is the two Secret Service calls present needs, each
// batched (pipelined: one round trip for the batch).
type secretsClient interface {
	// search runs SearchItems once per query (attribute key, value, …)
	// and returns the unlocked and locked paths of each.
	search(ctx context.Context, queries [][]string) ([][]string, error)
	// attributes reads each item's Attributes; errs holds per-item
	// errors, err a failure of the whole batch.
	attributes(ctx context.Context, paths []string) (attrs []map[string]string, errs []error, err error)
}

// present is the presence check over either client.
func present(ctx context.Context, c secretsClient, dir, service string, names []string) (map[string]bool, error) {
	res, err := c.search(ctx, [][]string{{"service", service}})
	if err != nil {
		return nil, err
	}
	cache := loadItemCache(dir)
	live := make(map[string]string, len(res[0]))
	var unknown []string
	for _, p := range res[0] {
		if name, ok := cache[p]; ok {
			live[p] = name
		} else {
			unknown = append(unknown, p)
		}
	}
	attrsFailed := false
	if len(unknown) > 0 {
		attrs, errs, err := c.attributes(ctx, unknown)
		if err != nil {
			return nil, err
		}
		for i, a := range attrs {
			if errs[i] != nil {
				attrsFailed = true
				continue
			}
			if a["service"] == service {
				live[unknown[i]] = a["username"]
			}
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
	var queries [][]string
	for _, n := range names {
		if !found[n] {
			rest = append(rest, n)
			queries = append(queries, []string{"service", service, "username", n})
		}
	}
	if len(queries) == 0 {
		return found, nil
	}
	res, err = c.search(ctx, queries)
	if err != nil {
		return nil, err
	}
	for i, paths := range res {
		if len(paths) > 0 {
			found[rest[i]] = true
		}
	}
	return found, nil
}

// godbusSecrets is [secretsClient] over godbus: the fallback, and what
// the tray's long-lived process would use anyway.
type godbusSecrets struct{ conn *dbus.Conn }

func (g godbusSecrets) search(ctx context.Context, queries [][]string) ([][]string, error) {
	svc := g.conn.Object(ssName, ssPath)
	calls := make([]*dbus.Call, len(queries))
	for i, q := range queries {
		attrs := make(map[string]string, len(q)/2)
		for j := 0; j+1 < len(q); j += 2 {
			attrs[q[j]] = q[j+1]
		}
		calls[i] = svc.GoWithContext(ctx, ssService+".SearchItems", 0, nil, attrs)
	}
	out := make([][]string, len(queries))
	var firstErr error
	for i, c := range calls {
		<-c.Done
		var unlocked, locked []dbus.ObjectPath
		if err := c.Store(&unlocked, &locked); err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("searching the keychain: %w", err)
			}
			continue
		}
		for _, p := range append(unlocked, locked...) {
			out[i] = append(out[i], string(p))
		}
	}
	return out, firstErr
}

func (g godbusSecrets) attributes(ctx context.Context, paths []string) ([]map[string]string, []error, error) {
	calls := make([]*dbus.Call, len(paths))
	for i, p := range paths {
		calls[i] = g.conn.Object(ssName, dbus.ObjectPath(p)).GoWithContext(ctx, propsGet, 0, nil, ssItem, "Attributes")
	}
	attrs := make([]map[string]string, len(paths))
	errs := make([]error, len(paths))
	for i, c := range calls {
		<-c.Done
		errs[i] = c.Store(&attrs[i])
	}
	return attrs, errs, nil
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
		cache = map[string]string{}
	}
	for _, p := range append(unlocked, locked...) {
		cache[string(p)] = user
	}
	saveItemCache(dir, cache)
}

// loadItemCache reads the cache; any problem means an empty cache.
func loadItemCache(dir string) map[string]string {
	if dir == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(dir, itemCacheName))
	if err != nil {
		return nil
	}
	var c map[string]string
	if json.Unmarshal(data, &c) != nil {
		return nil
	}
	return c
}

// saveItemCache replaces the cache atomically, last writer wins (losing a
// concurrent update only costs a re-read). It never creates the config
// dir: with no dir there is nothing to list.
func saveItemCache(dir string, c map[string]string) {
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
