package auth

import (
	"net/http"
	"strings"
	"time"
)

// Kind is what kind of key a server says a key is (docs/anytype-api.md
// §6, from Anytype's Anytype-Key-Status header, whoami's grant and its
// /v2 scope gate).
type Kind string

const (
	// KindUnknown: the server did not say (heart <= v0.47 has no whoami
	// and no Anytype-Key-Status).
	KindUnknown Kind = ""
	// KindLegacy: an unscoped key of JsonAPI or Full scope. It works on
	// /v1 and /v2, in every space.
	KindLegacy Kind = "legacy"
	// KindScoped: a key that carries a grant (some spaces or all, read
	// or read-write). Only an all-spaces read-write grant works on /v1.
	KindScoped Kind = "scoped"
	// KindLimited: a key of Limited scope (the web clipper's, anytype-cli's
	// older keys): refused on every /v2 route, whoami included, but
	// served on /v1.
	KindLimited Kind = "limited"
)

// Key-status headers newer servers send on authenticated responses.
const (
	headerKeyStatus = "Anytype-Key-Status"
	headerNotice    = "Anytype-Notice"
)

// msgExpired is the 401 message of newer servers for a key past its
// expireAt.
const msgExpired = "api key expired"

// whoami is what GET /v2/auth/whoami told about a key, as far as it could
// be read. The body has two spellings (snake_case in the current spec,
// camelCase in an intermediate version that also had no all_spaces).
type whoami struct {
	kind      Kind
	grant     *Grant    // nil unless the body said clearly what the key may do
	expiresAt time.Time // zero when the key does not expire or it was not said
	notice    string
}

// whoamiGrant is whoami's grant object. It is not the api_keys grant:
// spaces are objects, there is no space_ids, and "scoped" says whether
// a grant exists at all (a legacy key has "scoped":false, "spaces":[]).
type whoamiGrant struct {
	Scoped          *bool   `json:"scoped"`
	AllSpaces       *bool   `json:"all_spaces"`
	AllSpacesCamel  *bool   `json:"allSpaces"`
	Permission      *string `json:"permission"`
	SpaceCount      *int    `json:"space_count"`
	SpaceCountCamel *int    `json:"spaceCount"`
	Spaces          []struct {
		ID string `json:"id"`
	} `json:"spaces"`
}

// decodeWhoami reads a whoami body leniently: whatever cannot be read
// with certainty is left unknown (a nil grant, KindUnknown) rather than
// guessed, so a misread never replaces a grant known from elsewhere.
func decodeWhoami(body []byte) whoami {
	var v struct {
		Key struct {
			ExpiresAt      *string `json:"expires_at"`
			ExpiresAtCamel *string `json:"expiresAt"`
		} `json:"key"`
		Grant          *whoamiGrant `json:"grant"`
		KeyStatus      string       `json:"key_status"`
		KeyStatusCamel string       `json:"keyStatus"`
		Notice         string       `json:"notice"`
	}
	var w whoami
	if decodeObject(body, &v) != nil {
		return w
	}
	exp := v.Key.ExpiresAt
	if exp == nil {
		exp = v.Key.ExpiresAtCamel
	}
	if exp != nil {
		if t, err := time.Parse(time.RFC3339, *exp); err == nil {
			w.expiresAt = t.UTC()
		}
	}
	w.notice = v.Notice
	w.kind = keyStatus(v.KeyStatus)
	if w.kind == KindUnknown {
		w.kind = keyStatus(v.KeyStatusCamel)
	}
	g := v.Grant
	if g == nil || g.Scoped == nil {
		return w
	}
	if !*g.Scoped {
		w.kind = KindLegacy
		return w
	}
	w.kind = KindScoped
	all := g.AllSpaces
	if all == nil {
		all = g.AllSpacesCamel
	}
	var ids []string
	for _, s := range g.Spaces {
		if s.ID != "" {
			ids = append(ids, s.ID)
		}
	}
	if all == nil {
		// The camelCase version has no all_spaces. Under all spaces the
		// spaces list is filled only on ?spaces=true (never asked here)
		// and space_count is sent; a grant of some spaces names at least
		// one. Anything else is not understood.
		switch {
		case g.SpaceCount != nil || g.SpaceCountCamel != nil:
			t := true
			all = &t
		case len(ids) > 0:
			f := false
			all = &f
		default:
			return w
		}
	}
	perm := ""
	if g.Permission != nil {
		perm = *g.Permission
	}
	if *all {
		ids = nil
	} else if len(ids) == 0 {
		return w // "some spaces" but none named: not understood
	}
	w.grant = &Grant{AllSpaces: *all, SpaceIDs: ids, Permission: perm}
	return w
}

// keyStatus reads an Anytype-Key-Status value; anything but the two
// documented ones is unknown.
func keyStatus(s string) Kind {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "legacy":
		return KindLegacy
	case "scoped":
		return KindScoped
	}
	return KindUnknown
}

// signals reads the key-status headers of an authenticated answer into
// res, where res does not know better already.
func (res *CheckResult) signals(h http.Header, secrets []string) {
	if res.Kind == KindUnknown {
		res.Kind = keyStatus(h.Get(headerKeyStatus))
	}
	if res.Notice == "" {
		res.Notice = sanitize(h.Get(headerNotice), secrets)
	}
}

// isExpired reports whether a 401 body says the key is past its expiry.
func isExpired(body []byte) bool {
	_, msg, ok := decodeError(body)
	return ok && strings.EqualFold(strings.TrimSpace(msg), msgExpired)
}

// isLimited reports whether a 403 body is the /v2 scope gate's refusal of
// a Limited key ("api key scope does not allow json api access…").
func isLimited(body []byte) bool {
	_, msg, ok := decodeError(body)
	return ok && strings.Contains(strings.ToLower(msg), "scope does not allow json api access")
}

// isOriginRefused reports whether a 403 body is newer heart's trusted
// origin check: a refusal of the request, not of the key.
func isOriginRefused(body []byte) bool {
	_, msg, ok := decodeError(body)
	return ok && strings.Contains(strings.ToLower(msg), "request origin is not allowed")
}
