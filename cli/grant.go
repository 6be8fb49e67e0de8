package cli

import (
	"encoding/json"
	"fmt"
	"strings"
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

// warnScoped warns once per run, on stderr, when e's key works only on /v2.
func (c *cli) warnScoped(e keystore.Entry) {
	g := grantOf(e)
	if !auth.V2Only(g) || c.warnedScope {
		return
	}
	c.warnedScope = true
	c.say("warning: key %q is scoped (%s): it works only on Anytype's /v2 API", e.Name, scopeText(g))
	c.hint("anytype-mcp and other /v1 tools get 403 v1_not_available_for_scoped_keys with it; for them, grant all spaces with read-write when pairing")
}
