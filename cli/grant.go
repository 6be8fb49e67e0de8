package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/anykey-app/anykey/keystore"
)

// Newer Anytype servers can mint a key with a narrow grant (some spaces, or
// read-only). Such a key works only on /v2: every /v1 route answers it with
// 403 v1_not_available_for_scoped_keys, and anytype-mcp and most community
// tools speak /v1. anykey says so once per run when it hands one out.

// grantOf decodes the grant saved with a key; nil when the server reported
// none (older servers) or it cannot be read.
func grantOf(e keystore.Entry) *auth.Grant {
	if len(e.Grant) == 0 {
		return nil
	}
	// A grant without all_spaces is not one anykey understands (keys.json
	// is untrusted): say nothing rather than guess a scope.
	var g struct {
		AllSpaces  *bool    `json:"all_spaces"`
		SpaceIDs   []string `json:"space_ids"`
		Permission string   `json:"permission"`
	}
	if json.Unmarshal(e.Grant, &g) != nil || g.AllSpaces == nil {
		return nil
	}
	if !*g.AllSpaces && len(g.SpaceIDs) == 0 {
		// Some spaces, none named: no grant Anytype gives. anykey 0.x
		// saved this for legacy keys, having read whoami's grant as the
		// api_keys one (issue 17); it says nothing about the key.
		return nil
	}
	return &auth.Grant{AllSpaces: *g.AllSpaces, SpaceIDs: g.SpaceIDs, Permission: g.Permission}
}

// maxPermission is how many characters of a permission anykey does not
// know are shown; Anytype's are "read" and "readwrite".
const maxPermission = 32

// scopeText describes a grant for list and verify: "all spaces, read-write",
// "2 spaces, read-only"; "" when there is no grant.
func scopeText(g *auth.Grant) string {
	if g == nil {
		return ""
	}
	where := "all spaces"
	if !g.AllSpaces {
		switch n := len(g.SpaceIDs); n {
		case 1:
			where = "1 space"
		default:
			where = fmt.Sprintf("%d spaces", n)
		}
	}
	perm := "read-write"
	switch strings.ToLower(g.Permission) {
	case "read":
		perm = "read-only"
	case "readwrite", "":
	default:
		// The server's word, stored in keys.json: untrusted text.
		perm = textsafe.Terminal(g.Permission)
		if utf8.RuneCountInString(perm) > maxPermission {
			perm = string([]rune(perm)[:maxPermission]) + "…"
		}
		if perm == "" {
			perm = "unknown permission"
		}
	}
	return where + ", " + perm
}

// kindOf is the key kind saved with e, when it is one anykey knows.
func kindOf(e keystore.Entry) auth.Kind {
	switch k := auth.Kind(e.Kind); k {
	case auth.KindLegacy, auth.KindScoped, auth.KindLimited:
		return k
	}
	return auth.KindUnknown
}

// kindText names a kind for people: "legacy", "scoped", "Limited" (as
// Anytype spells the scope); "" when unknown.
func kindText(k auth.Kind) string {
	if k == auth.KindLimited {
		return "Limited"
	}
	return string(k)
}

// expiryOf is the expiry saved with e; zero when none or unreadable.
func expiryOf(e keystore.Entry) time.Time {
	t, err := time.Parse(time.RFC3339, e.ExpiresAt)
	if err != nil {
		return time.Time{}
	}
	return t
}

// expiringWithin is how close to its expiry a key gets marked.
const expiringWithin = 7 * 24 * time.Hour

// dateText is a date as list and verify show it, in local time.
func dateText(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

// entryFacts records on e what Anytype said about its key.
func entryFacts(e *keystore.Entry, res auth.CheckResult) {
	if res.Grant != nil {
		if g, err := json.Marshal(res.Grant); err == nil {
			e.Grant = g
		}
	}
	e.Kind = string(res.Kind)
	e.ExpiresAt = ""
	if !res.ExpiresAt.IsZero() {
		e.ExpiresAt = res.ExpiresAt.UTC().Format(time.RFC3339)
	}
}

const limitedText = "it works on Anytype's /v1 API (anytype-mcp works with it) but not on /v2: /v2 tools and Anytype's own MCP endpoint refuse it"

// warnScoped warns once per run, on stderr, when what is known of e's key
// limits it: it works only on /v2 (a narrow grant), only on /v1 (Limited
// scope), or it has expired or expires within 7 days.
func (c *cli) warnScoped(e keystore.Entry) {
	if c.warnedScope {
		return
	}
	name := textsafe.Terminal(e.Name)
	if exp := expiryOf(e); !exp.IsZero() && exp.Sub(c.now()) < expiringWithin {
		c.warnedScope = true
		if !exp.After(c.now()) {
			// Not "Anytype refuses it": add and pair warn right after
			// Anytype accepted the key, whose clock may be behind ours.
			c.say("warning: key %q expired on %s: Anytype refuses a key after its expiry", name, dateText(exp))
		} else {
			c.say("warning: key %q expires on %s", name, dateText(exp))
		}
		c.hint("anykey rotate %s pairs a new key under the same name", quoteArg(e.Name))
		return
	}
	if kindOf(e) == auth.KindLimited {
		c.warnedScope = true
		c.say("warning: key %q has Limited scope: %s", name, limitedText)
		c.hint("for /v2 tools, anykey rotate %s pairs a new key under the same name", quoteArg(e.Name))
		return
	}
	g := grantOf(e)
	if !auth.V2Only(g) {
		return
	}
	c.warnedScope = true
	c.say("warning: key %q is scoped (%s): it works only on Anytype's /v2 API", name, scopeText(g))
	c.hint("anytype-mcp and other /v1 tools get 403 v1_not_available_for_scoped_keys with it; for them, grant all spaces with read-write when pairing")
}
