package tray

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/anykey-app/anykey/keystore"
	"github.com/anykey-app/anykey/pairing"
)

// rotate is Replace with a new key…: pairs a new key under a saved name
// at the URL saved with it, as `anykey rotate NAME` does. The saved key is
// replaced only once the new one is saved.
func (a *App) rotate(ctx context.Context, name string) {
	if !a.begin() {
		a.notify("anykey is already asking something", "Finish or cancel the open anykey dialog first.")
		return
	}
	defer a.end()
	lctx, cancel := context.WithTimeout(ctx, keystore.KeychainTimeout)
	old, err := a.d.Store.Lookup(lctx, name)
	if err == nil {
		err = keystore.Ready(lctx, a.d.Store)
	}
	cancel()
	if err != nil {
		a.notify(fmt.Sprintf("Cannot replace %q right now", name), keychainProblem(err, a.provider())+" Nothing was asked of Anytype.")
		return
	}
	url := old.APIURL
	if url == "" {
		url = auth.DesktopURL
	}
	c, err := a.d.NewClient(url)
	if err == nil {
		pctx, cancel := context.WithTimeout(ctx, probeWait)
		_, err = c.Probe(pctx)
		cancel()
	}
	if err != nil {
		a.notify(fmt.Sprintf("Cannot replace %q right now", name),
			fmt.Sprintf("Anytype at %s did not answer (%v). Start Anytype and log in, then try again. %s", url, err, sentence(pairing.KeptNote(old, time.Now()))))
		return
	}
	a.runPairing(ctx, c, old.Name, &old)
}

// Expiry marks (issue 17 §4): a key that expired, or expires within
// expiringWithin, is marked in its label and announced once.
const expiringWithin = 7 * 24 * time.Hour

type expiryMark int

const (
	markNone expiryMark = iota
	markExpiring
	markExpired
)

// expiryOf is the expiry saved with e (keys.json is input: an unreadable
// value is no expiry).
func expiryOf(e keystore.Entry) time.Time {
	t, err := time.Parse(time.RFC3339, e.ExpiresAt)
	if err != nil {
		return time.Time{}
	}
	return t
}

func markOf(e keystore.Entry, now time.Time) expiryMark {
	exp := expiryOf(e)
	switch {
	case exp.IsZero() || now.IsZero():
		return markNone
	case !exp.After(now):
		return markExpired
	case exp.Sub(now) < expiringWithin:
		return markExpiring
	}
	return markNone
}

// kindNote is the label suffix for what limits a key that works: Limited
// scope (only /v1) or a narrow grant (only /v2); "" otherwise.
func kindNote(e keystore.Entry) string {
	if e.Kind == string(auth.KindLimited) {
		return "Limited: /v1 only"
	}
	var g struct {
		AllSpaces  *bool    `json:"all_spaces"`
		SpaceIDs   []string `json:"space_ids"`
		Permission string   `json:"permission"`
	}
	if len(e.Grant) == 0 || json.Unmarshal(e.Grant, &g) != nil || g.AllSpaces == nil ||
		!*g.AllSpaces && len(g.SpaceIDs) == 0 { // not a grant Anytype gives (an old misread)
		return ""
	}
	if auth.V2Only(&auth.Grant{AllSpaces: *g.AllSpaces, SpaceIDs: g.SpaceIDs, Permission: g.Permission}) {
		return "/v2 only"
	}
	return ""
}

// checkExpiry announces, in one notification, the keys that newly
// expired or came within a week of their expiry, and rebuilds the menu
// when a mark changed. It runs with the status probe, so it wakes the
// process no more often than that.
func (a *App) checkExpiry() {
	now := time.Now()
	a.mu.Lock()
	if a.marks == nil {
		a.marks = map[string]expiryMark{}
	}
	var expired, expiring []string
	changed := false
	for _, e := range a.state.Keys {
		m := markOf(e, now)
		if m != a.marks[e.Name] {
			changed = true
		}
		if m > a.announced[e.Name] {
			if a.announced == nil {
				a.announced = map[string]expiryMark{}
			}
			a.announced[e.Name] = m
			if m == markExpired {
				expired = append(expired, textsafe.Terminal(e.Name))
			} else {
				expiring = append(expiring, textsafe.Terminal(e.Name))
			}
		}
		a.marks[e.Name] = m
	}
	a.mu.Unlock()
	if changed {
		a.trigger()
	}
	if len(expired)+len(expiring) == 0 {
		return
	}
	var title string
	switch {
	case len(expired) == 1 && len(expiring) == 0:
		title = fmt.Sprintf("Key %q has expired", expired[0])
	case len(expiring) == 1 && len(expired) == 0:
		title = fmt.Sprintf("Key %q expires within a week", expiring[0])
	default:
		title = fmt.Sprintf("%d keys have expired or expire within a week", len(expired)+len(expiring))
	}
	var parts []string
	if len(expired) > 0 {
		parts = append(parts, "Anytype no longer accepts "+quoteList(expired)+".")
	}
	if len(expiring) > 0 {
		parts = append(parts, "Anytype stops accepting "+quoteList(expiring)+" within 7 days.")
	}
	parts = append(parts, "Choose Replace with a new key… in the key's menu to pair a new one under the same name.")
	a.notify(title, strings.Join(parts, " "))
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// checkNote is what a verified key can do, for the Verify notification:
// Limited (only /v1), a narrow grant (only /v2), an expiry; "" for a key
// that works everywhere and never expires.
func checkNote(res auth.CheckResult) string {
	var b strings.Builder
	switch {
	case res.Kind == auth.KindLimited:
		b.WriteString(" It has Limited scope: anytype-mcp and other /v1 tools work with it, but /v2 tools and Anytype's own MCP endpoint refuse it.")
	case auth.V2Only(res.Grant) || res.V1Refused:
		b.WriteString(" It works only on Anytype's /v2 API: anytype-mcp and other /v1 tools get 403 with it.")
	}
	switch at := res.ExpiresAt.Local().Format("2006-01-02 15:04"); {
	case res.ExpiresAt.IsZero():
	case !res.ExpiresAt.After(time.Now()):
		// Anytype accepted it just now: the clocks disagree (as verify).
		fmt.Fprintf(&b, " Its expiry, %s, has passed by this computer's clock, yet Anytype still accepted it.", at)
	default:
		fmt.Fprintf(&b, " It expires on %s.", at)
	}
	return b.String()
}
