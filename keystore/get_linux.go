package keystore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// rawGetTimeout caps the raw exchange of a Get, so that falling back to
// go-keyring still leaves most of [KeychainTimeout]: a healthy bus answers
// these calls in about a millisecond, and none of them can prompt.
const rawGetTimeout = 2 * time.Second

const (
	ssSession = "org.freedesktop.Secret.Session"
	// loginPrefix holds the items of the collection go-keyring prefers
	// (its GetLoginCollection): the spec names items
	// /org/freedesktop/secrets/collection/xxxx/iiii, so an item under
	// this prefix also proves that the collection exists.
	loginCollection = "/org/freedesktop/secrets/collection/login"
	loginPrefix     = loginCollection + "/"
	defaultAlias    = "/org/freedesktop/secrets/aliases/default"
)

// errRawGetDeclined is a situation the raw Get leaves to go-keyring (a
// locked item, several candidates, an unexpected answer); never shown,
// the fallback's answer is.
var errRawGetDeclined = errors.New("raw Get leaves this to go-keyring")

// platformGet is go-keyring's Get, with its common case done over the
// synchronous client of secretservice_linux.go.
//
// go-keyring's Get costs a godbus connection (~2.4 ms per process, see
// that file) and six calls in sequence (Collections, Unlock, SearchItems,
// OpenSession, Unlock, GetSecret), which put `anykey get` at the edge of
// its budget (issue 2). When the one item go-keyring would read is plainly
// there and unlocked, its answer is known without the unlock calls: the
// raw client asks in two round trips after auth and returns the same bytes.
// Everything else, and every failure, goes to go-keyring, which knows
// prompts and every provider.
func platformGet(ctx context.Context, service, user string) (string, error) {
	return getVia(ctx, os.Getenv("DBUS_SESSION_BUS_ADDRESS"), service, user,
		func() (string, error) { return keyring.Get(service, user) })
}

// getVia is platformGet with the raw client dialling addr and fallback
// standing for go-keyring.
func getVia(ctx context.Context, addr, service, user string, fallback func() (string, error)) (string, error) {
	rctx, cancel := context.WithTimeout(ctx, rawGetTimeout)
	s, err := rawGet(rctx, addr, service, user)
	cancel()
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return s, err
	}
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	return fallback()
}

// rawGet returns what go-keyring's Get would, or an error that is not
// keyring.ErrNotFound when it cannot be sure.
func rawGet(ctx context.Context, addr, service, user string) (string, error) {
	bus, err := dialRawBus(ctx, addr)
	if err != nil {
		return "", err
	}
	defer bus.Close()
	// The search and the session do not depend on each other: one write.
	replies, err := bus.do([]busCall{searchCall(service, user), openSessionCall()})
	if err != nil {
		return "", err
	}
	item, err := pickItem(replies[0])
	if err != nil {
		return "", err
	}
	if item == "" {
		return "", notFound(bus)
	}
	session, err := sessionPath(replies[1])
	if err != nil {
		return "", err
	}
	replies, err = bus.do([]busCall{getSecretCall(item, session)})
	if err != nil {
		return "", err
	}
	// Closing the connection ends the session too; Close says so first,
	// without waiting for an answer.
	bus.send(closeSessionCall(session))
	return secretValue(replies[0], session)
}

// The calls of a raw Get (Secret Service API, org.freedesktop.Secret.*).

func searchCall(service, user string) busCall {
	return busCall{dest: ssName, path: ssPath, iface: ssService, member: "SearchItems", sig: "a{ss}",
		body: func(e *wireEncoder) { e.dictSS("service", service, "username", user) }}
}

// openSessionCall opens a "plain" session, as go-keyring does: the secret
// crosses the bus unencrypted, to a peer that holds it in the clear anyway.
func openSessionCall() busCall {
	return busCall{dest: ssName, path: ssPath, iface: ssService, member: "OpenSession", sig: "sv",
		body: func(e *wireEncoder) { e.str("plain"); e.variantStr("") }}
}

func getSecretCall(item, session string) busCall {
	return busCall{dest: ssName, path: item, iface: ssItem, member: "GetSecret", sig: "o",
		body: func(e *wireEncoder) { e.str(session) }}
}

func closeSessionCall(session string) busCall {
	return busCall{dest: ssName, path: session, iface: ssSession, member: "Close", noReply: true}
}

// pickItem returns the item go-keyring would read from a SearchItems
// reply, "" when there is no item at all, or errRawGetDeclined.
//
// go-keyring searches only its login collection and reads the first
// result. With exactly one match there, unlocked, that is the item
// whatever order the provider lists results in; with none anywhere there
// is nothing to read (the caller checks go-keyring would not unlock
// first). More than one, a locked one (go-keyring would prompt), or
// matches only in other collections (go-keyring might use one as its
// default) are declined.
func pickItem(r busReply) (string, error) {
	if r.err != nil {
		return "", fmt.Errorf("%w: SearchItems: %w", errRawGetDeclined, r.err)
	}
	unlocked, ok1 := objectPaths(r.body, 0)
	locked, ok2 := objectPaths(r.body, 1)
	if r.sig != "aoao" || !ok1 || !ok2 {
		return "", fmt.Errorf("%w: SearchItems answered %v", errRawBus, r.body)
	}
	if len(unlocked) == 0 && len(locked) == 0 {
		return "", nil
	}
	inLogin := func(p string) bool {
		rest, ok := strings.CutPrefix(p, loginPrefix)
		return ok && rest != "" && !strings.Contains(rest, "/")
	}
	var item string
	n := 0
	for _, p := range unlocked {
		if inLogin(p) {
			item, n = p, n+1
		}
	}
	if n != 1 || slices.ContainsFunc(locked, inLogin) {
		return "", fmt.Errorf("%w: %d unlocked and %d locked matches", errRawGetDeclined, len(unlocked), len(locked))
	}
	return item, nil
}

// notFound decides a search that matched nothing: keyring.ErrNotFound if
// the collection go-keyring would search is unlocked, since then its own
// search finds nothing either and it would not prompt. A locked one is
// declined: go-keyring unlocks it first, and a provider may hide the
// items of a locked collection from searches (gnome-keyring does not).
func notFound(bus *rawBus) error {
	props := func(path, iface, name string) busCall {
		return busCall{dest: ssName, path: path, iface: "org.freedesktop.DBus.Properties", member: "Get",
			sig: "ss", body: func(e *wireEncoder) { e.str(iface); e.str(name) }}
	}
	const coll = "org.freedesktop.Secret.Collection"
	replies, err := bus.do([]busCall{
		props(ssPath, ssService, "Collections"),
		props(loginCollection, coll, "Locked"),
		props(defaultAlias, coll, "Locked"),
	})
	if err != nil {
		return err
	}
	c := replies[0]
	if c.err != nil {
		return fmt.Errorf("%w: Collections: %w", errRawGetDeclined, c.err)
	}
	var v busVariant
	if len(c.body) == 1 {
		v, _ = c.body[0].(busVariant)
	}
	paths, ok := objectPaths([]any{v.val}, 0)
	if v.sig != "ao" || !ok {
		return fmt.Errorf("%w: Collections answered %v", errRawBus, c.body)
	}
	// go-keyring's GetLoginCollection: login if listed, else the alias.
	r := replies[2]
	if slices.Contains(paths, loginCollection) {
		r = replies[1]
	}
	if r.err == nil && len(r.body) == 1 {
		v, _ := r.body[0].(busVariant)
		if locked, ok := v.val.(bool); ok && !locked {
			return keyring.ErrNotFound
		}
	}
	return fmt.Errorf("%w: nothing found and the collection is locked or unknown", errRawGetDeclined)
}

// sessionPath reads an OpenSession reply: (v output, o session), the
// output empty for the plain algorithm.
func sessionPath(r busReply) (string, error) {
	if r.err != nil {
		return "", fmt.Errorf("%w: OpenSession: %w", errRawGetDeclined, r.err)
	}
	if r.sig != "vo" || len(r.body) != 2 {
		return "", fmt.Errorf("%w: OpenSession answered signature %q", errRawBus, r.sig)
	}
	p, _ := r.body[1].(string)
	if p == "" || p == "/" {
		return "", fmt.Errorf("%w: OpenSession gave session %q", errRawBus, p)
	}
	return p, nil
}

// plainTypes are the content types the raw Get accepts: what go-keyring
// stores ("text/plain; charset=utf8") and what gnome-keyring answers for
// it ("text/plain"). go-keyring ignores the type; anything else is left
// to it only so that a provider doing something new is not guessed at.
var plainTypes = []string{"text/plain", "text/plain; charset=utf8", "text/plain; charset=utf-8"}

// secretValue reads a GetSecret reply, the Secret struct (o session, ay
// parameters, ay value, s content_type), and returns the value as
// go-keyring does: string(value), unchanged. Errors never quote the body:
// it holds the secret.
func secretValue(r busReply, session string) (string, error) {
	if r.err != nil {
		return "", fmt.Errorf("%w: GetSecret: %w", errRawGetDeclined, r.err)
	}
	if r.sig != "(oayays)" || len(r.body) != 1 {
		return "", fmt.Errorf("%w: GetSecret answered signature %q", errRawBus, r.sig)
	}
	f, _ := r.body[0].([]any)
	if len(f) != 4 {
		return "", fmt.Errorf("%w: GetSecret answered %d fields", errRawBus, len(f))
	}
	sess, _ := f[0].(string)
	params, ok1 := f[1].([]byte)
	value, ok2 := f[2].([]byte)
	ctype, _ := f[3].(string)
	switch {
	case !ok1 || !ok2:
		return "", fmt.Errorf("%w: GetSecret answered no byte arrays", errRawBus)
	case sess != session:
		return "", fmt.Errorf("%w: GetSecret answered for session %q, not %q", errRawGetDeclined, sess, session)
	case len(params) != 0:
		return "", fmt.Errorf("%w: plain session with %d parameter bytes", errRawGetDeclined, len(params))
	case !slices.Contains(plainTypes, ctype):
		return "", fmt.Errorf("%w: content type %q", errRawGetDeclined, ctype)
	}
	return string(value), nil
}
