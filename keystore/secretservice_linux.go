package keystore

// The Secret Service questions go-keyring has no call for, asked over
// godbus (the D-Bus library go-keyring itself uses, on the same shared
// session bus connection): which keys are present, locked or missing, and
// whether the collection go-keyring writes to is locked. Every secret is
// still read and written by go-keyring.
//
// Names and behaviour are those of the Secret Service API
// (org.freedesktop.Secret.*, freedesktop.org "Secret Service API Draft"
// 0.2) and of the providers tried: gnome-keyring 42, KeePassXC 2.7 and
// KWallet (kwalletd5, KDE Frameworks 5.103).

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/anykey-app/anykey/internal/busdial"
	"github.com/godbus/dbus/v5"
)

const (
	ssName       = "org.freedesktop.secrets"
	ssPath       = "/org/freedesktop/secrets"
	ssService    = "org.freedesktop.Secret.Service"
	ssCollection = "org.freedesktop.Secret.Collection"
	ssItem       = "org.freedesktop.Secret.Item"
	propsGet     = "org.freedesktop.DBus.Properties.Get"

	// loginPath and defaultAlias are the two places go-keyring looks for
	// its collection (secret_service.GetLoginCollection): "login" if the
	// service lists it (gnome-keyring), else whatever the "default" alias
	// points to (KeePassXC, KWallet: they have no "login" collection).
	loginPath    = "/org/freedesktop/secrets/collection/login"
	defaultAlias = "/org/freedesktop/secrets/aliases/default"
)

// platformBus makes sure godbus's shared session bus connection, the one
// go-keyring uses, is up, within busdial.Handshake.
func platformBus() error {
	_, err := sessionBus()
	return err
}

// sessionBus is the shared session bus connection (busdial.Shared), with
// a silent bus reported as [ErrNoSessionBus], and a bus or Secret Service
// of another user as a [foreignKeychain].
func sessionBus() (*dbus.Conn, error) {
	conn, err := busdial.Shared()
	if err != nil {
		return nil, busError(err)
	}
	if err := checkSharedOwner(conn); err != nil {
		return nil, err
	}
	return conn, nil
}

// busError makes a bus that is silent (*busdial.SilentError, keeping its
// own text) or not named at all (busdial.ErrNoAddress) an
// [ErrNoSessionBus], and so [ErrUnavailable].
func busError(err error) error {
	switch {
	case busdial.IsRefused(err):
		return foreignKeychain{err}
	case busdial.IsSilent(err):
		return silentBus{err}
	case errors.Is(err, busdial.ErrNoAddress):
		return fmt.Errorf("%w: %w", ErrNoSessionBus, err)
	}
	return err
}

type silentBus struct{ err error }

func (s silentBus) Error() string   { return s.err.Error() }
func (s silentBus) Unwrap() []error { return []error{ErrNoSessionBus, s.err} }

// greeted is the shared connection platformGreet has greeted.
var greeted struct {
	sync.Mutex
	conn *dbus.Conn
}

// platformGreet makes sure the Secret Service has answered a harmless call
// (a read of the service's Collections) from the shared connection before
// go-keyring's Set sends OpenSession. gnome-keyring 42 aborts (assertion
// 'client' failed in gkd_secret_service_get_pkcs11_session, then a GLib
// trap in g_variant_new: GNOME/gnome-keyring#190, #194, #196, #199, Debian
// #1147303) when OpenSession is a new client's first call and the client
// goes away soon after: 12 of 30 sessions of 1,200 such clients killed the
// daemon, none of 30 when each read a property first
// (scripts/gnome-keyring-trap.sh, docs/desktop-testing.md §8). Any
// answer, an error too, will do; when none comes in time go-keyring's own
// call meets the same silence under the caller's deadline.
func platformGreet() {
	conn, err := sessionBus()
	if err != nil {
		return
	}
	greeted.Lock()
	defer greeted.Unlock()
	if greeted.conn == conn {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), busdial.Handshake)
	defer cancel()
	if greet(ctx, conn) == nil {
		greeted.conn = conn
	}
}

// greet reads the Secret Service's Collections on conn and waits for the
// answer (see [platformGreet]).
func greet(ctx context.Context, conn *dbus.Conn) error {
	var v dbus.Variant
	return conn.Object(ssName, ssPath).CallWithContext(ctx, propsGet, 0, ssService, "Collections").Store(&v)
}

// platformStates is [secretStates] on the session bus.
func platformStates(ctx context.Context, service string, names []string) (map[string]SecretState, error) {
	conn, err := sessionBus()
	if err != nil {
		return nil, err
	}
	return secretStates(ctx, conn, service, names)
}

// platformLocked is [collectionLocked] on the session bus.
func platformLocked(ctx context.Context) (bool, error) {
	conn, err := sessionBus()
	if err != nil {
		return false, err
	}
	return collectionLocked(ctx, conn)
}

// secretStates tells, for each name, whether go-keyring's collection holds
// an unlocked item for (service, name), a locked one, or none. It never
// unlocks, so it never prompts.
//
// Calls go out in batches, each answered in one round trip:
//
//  1. the service's Collections, where the "default" alias points, and
//     whether "login" and the alias are locked. A locked collection of
//     KWallet is asked again through kwalletd's own isOpen (see
//     [lockedTruly]): after a login its wallet is open though the
//     collection says locked. If go-keyring's collection is locked and
//     the provider does not answer searches of a locked collection (see
//     [Provider.searchesLocked]), every name is locked and nothing more
//     is asked: KeePassXC answers a search of a locked database with its
//     unlock dialog (its "unlock before search" setting) or with nothing,
//     and list must not prompt.
//  2. one SearchItems on the service for every anykey item. SearchItems on
//     the service (not on the collection, which answers paths only)
//     splits its answer into unlocked and locked items.
//  3. the Attributes of each item found in go-keyring's collection: the
//     Secret Service has no call that names many items at once, and a
//     read is the cheapest call per item (gnome-keyring 42: about half
//     the time of a SearchItems, which scans every item).
//  4. only for names still unaccounted for when some item did not show
//     its attributes: one SearchItems per such name. gnome-keyring shows
//     only hashes of the attributes of a keyring it loaded locked from
//     disk, but matches searches against them; before this step, such
//     keys showed as missing.
//
// So in a locked gnome-keyring or KWallet a missing key is told from a
// locked one (every item found in a locked collection is locked); in
// other locked keychains every key is locked until the unlock.
func secretStates(ctx context.Context, conn *dbus.Conn, service string, names []string) (map[string]SecretState, error) {
	svc := conn.Object(ssName, ssPath)
	colls := svc.GoWithContext(ctx, propsGet, 0, nil, ssService, "Collections")
	alias := svc.GoWithContext(ctx, ssService+".ReadAlias", 0, nil, "default")
	loginLocked := conn.Object(ssName, loginPath).GoWithContext(ctx, propsGet, 0, nil, ssCollection, "Locked")
	aliasLocked := conn.Object(ssName, defaultAlias).GoWithContext(ctx, propsGet, 0, nil, ssCollection, "Locked")

	coll, useLogin, err := collectionOf(colls, alias)
	if err != nil {
		return nil, err
	}
	lockCall := aliasLocked
	if useLogin {
		lockCall = loginLocked
	}
	var collLocked bool
	if err := storeProp(lockCall, &collLocked); err != nil {
		return nil, fmt.Errorf("reading whether %s is locked: %w", coll, err)
	}
	out := make(map[string]SecretState, len(names))
	// open: the collection says locked but the provider says open (KWallet
	// after a login): its items, which it lists as locked, read without a
	// prompt.
	open := false
	if collLocked {
		collLocked = lockedTruly(ctx, conn, coll)
		open = !collLocked
	}
	if collLocked {
		if p, err := providerOn(ctx, conn); err != nil || !p.searchesLocked() {
			for _, n := range names {
				out[n] = StateLocked
			}
			return out, nil
		}
	}

	// 2. Find every anykey item.
	all := svc.GoWithContext(ctx, ssService+".SearchItems", 0, nil, map[string]string{"service": service})
	unlocked, locked, err := searchResult(all, coll)
	if err != nil {
		return nil, err
	}

	// 3. Name the items.
	items := append(unlocked, locked...)
	reads := make([]*dbus.Call, len(items))
	for i, p := range items {
		reads[i] = conn.Object(ssName, p).GoWithContext(ctx, propsGet, 0, nil, ssItem, "Attributes")
	}
	unnamed := false
	for i, c := range reads {
		<-c.Done
		var v dbus.Variant
		attrs, ok := map[string]string(nil), c.Store(&v) == nil
		if ok {
			attrs, ok = v.Value().(map[string]string)
		}
		if !ok || attrs["username"] == "" {
			unnamed = true
			continue
		}
		if attrs["service"] != service {
			continue // a provider that matched loosely
		}
		st := StatePresent
		if collLocked || (i >= len(unlocked) && !open) {
			st = StateLocked
		}
		if out[attrs["username"]] != StatePresent { // go-keyring reads an unlocked one first
			out[attrs["username"]] = st
		}
	}

	// 4. Search for the rest by name.
	var rest []string
	for _, n := range names {
		if _, ok := out[n]; !ok {
			rest = append(rest, n)
		}
	}
	if unnamed && len(rest) > 0 {
		searches := make([]*dbus.Call, len(rest))
		for i, n := range rest {
			searches[i] = svc.GoWithContext(ctx, ssService+".SearchItems", 0, nil,
				map[string]string{"service": service, "username": n})
		}
		for i, c := range searches {
			u, l, err := searchResult(c, coll)
			switch {
			case err != nil:
				return nil, err
			case !collLocked && (len(u) > 0 || (open && len(l) > 0)):
				out[rest[i]] = StatePresent
			case len(u) > 0, len(l) > 0:
				out[rest[i]] = StateLocked
			}
		}
	}
	return out, nil
}

// searchResult waits for a Service.SearchItems call and returns its
// unlocked and locked items in coll.
func searchResult(c *dbus.Call, coll dbus.ObjectPath) (unlocked, locked []dbus.ObjectPath, err error) {
	<-c.Done
	if err := c.Store(&unlocked, &locked); err != nil {
		return nil, nil, fmt.Errorf("searching the keychain: %w", err)
	}
	in := inCollection(coll)
	return slices.DeleteFunc(unlocked, func(p dbus.ObjectPath) bool { return !in(p) }),
		slices.DeleteFunc(locked, func(p dbus.ObjectPath) bool { return !in(p) }), nil
}

// collectionLocked reports whether go-keyring's collection is locked.
func collectionLocked(ctx context.Context, conn *dbus.Conn) (bool, error) {
	svc := conn.Object(ssName, ssPath)
	colls := svc.GoWithContext(ctx, propsGet, 0, nil, ssService, "Collections")
	alias := svc.GoWithContext(ctx, ssService+".ReadAlias", 0, nil, "default")
	coll, _, err := collectionOf(colls, alias)
	if err != nil {
		return false, err
	}
	var locked bool
	if err := storeProp(conn.Object(ssName, coll).GoWithContext(ctx, propsGet, 0, nil, ssCollection, "Locked"), &locked); err != nil {
		return false, err
	}
	return locked && lockedTruly(ctx, conn, coll), nil
}

// lockedTruly checks a collection that says Locked=true with its provider,
// where the provider has a truer answer that never prompts: KWallet's own
// isOpen (see [kwalletOpen]). When it cannot tell, the collection is
// locked.
func lockedTruly(ctx context.Context, conn *dbus.Conn, coll dbus.ObjectPath) bool {
	comm, err := ownerComm(ctx, conn)
	if err != nil {
		return true
	}
	open, ok, err := kwalletOpen(ctx, conn, comm, coll)
	return !ok || err != nil || !open
}

// collectionOf picks go-keyring's collection from the answers to
// Properties.Get(Collections) and ReadAlias("default"): its real path, and
// whether it is "login". The alias is resolved because items carry the
// real path (KeePassXC: /org/freedesktop/secrets/collection/<database>).
func collectionOf(colls, alias *dbus.Call) (dbus.ObjectPath, bool, error) {
	<-alias.Done
	var paths []dbus.ObjectPath
	if err := storeProp(colls, &paths); err != nil {
		return "", false, fmt.Errorf("listing the keychain's collections: %w", err)
	}
	if slices.Contains(paths, loginPath) {
		return loginPath, true, nil
	}
	var p dbus.ObjectPath
	if err := alias.Store(&p); err != nil {
		return "", false, fmt.Errorf("reading the keychain's default collection: %w", err)
	}
	if p == "/" || p == "" {
		return "", false, ErrNoCollection
	}
	return p, false, nil
}

// storeProp waits for a Properties.Get call and stores the variant's value.
func storeProp(c *dbus.Call, v any) error {
	<-c.Done
	var variant dbus.Variant
	if err := c.Store(&variant); err != nil {
		return err
	}
	return dbus.Store([]any{variant.Value()}, v)
}

// inCollection matches item paths directly under coll (the spec names
// items <collection>/<item>).
func inCollection(coll dbus.ObjectPath) func(dbus.ObjectPath) bool {
	prefix := string(coll) + "/"
	return func(p dbus.ObjectPath) bool {
		rest, ok := strings.CutPrefix(string(p), prefix)
		return ok && rest != "" && !strings.Contains(rest, "/")
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
