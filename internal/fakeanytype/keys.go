package fakeanytype

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Scope is the scope of a key on newer heart (docs/anytype-api.md §6):
// what Anytype's AccountAuth scope says the key may reach.
type Scope string

const (
	ScopeJSONAPI Scope = "jsonApi" // pairing's keys, Settings → API Keys
	ScopeFull    Scope = "full"    // the desktop's own session keys
	// ScopeLimited: the web clipper's keys and anytype-cli's older ones.
	// Every /v2 route refuses them with 403; /v1 serves them.
	ScopeLimited Scope = "limited"
)

// KeyOptions describe a key made another way than pairing ([Server.AddKey]):
// in Settings → API Keys, by anytype-cli, or by the web clipper.
type KeyOptions struct {
	Name string // the name Anytype lists it under
	// Grant is the key's grant; nil for an unscoped (legacy) key.
	Grant *Grant
	// Scope is jsonApi when empty.
	Scope Scope
	// ExpiresAt, when set, is when Anytype stops accepting the key with
	// 401 "api key expired" (only CreateApp keys have one).
	ExpiresAt time.Time
}

type keyInfo struct {
	appName   string
	grant     *Grant
	scope     Scope
	created   time.Time
	expiresAt time.Time
}

// AddKey mints a key as Settings → API Keys (or anytype-cli, or the web
// clipper) would, and returns it. Only servers that model newer heart
// honour a grant, a scope or an expiry.
func (s *Server) AddKey(o KeyOptions) string {
	if o.Scope == "" {
		o.Scope = ScopeJSONAPI
	}
	if o.Grant != nil {
		g := *o.Grant
		if g.SpaceIDs == nil {
			g.SpaceIDs = []string{}
		}
		o.Grant = &g
	}
	key := s.mintKey()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = append(s.keys, key)
	s.valid[key] = keyInfo{appName: o.Name, grant: o.Grant, scope: o.Scope, created: time.Now().UTC().Truncate(time.Second), expiresAt: o.ExpiresAt}
	return key
}

// SetExpiry sets when key stops working, as if it had been made with
// that expiry (the zero time: never).
func (s *Server) SetExpiry(key string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if info, ok := s.valid[key]; ok {
		info.expiresAt = at
		s.valid[key] = info
	}
}

// grant is what the key response says: Config.Grant when set, else a full
// grant for prefixed keys, else null (newer servers always send the field).
func (s *Server) grant() *Grant {
	if s.cfg.Grant != nil {
		g := *s.cfg.Grant
		if g.SpaceIDs == nil {
			g.SpaceIDs = []string{}
		}
		return &g
	}
	if !s.cfg.PrefixedKeys {
		return nil
	}
	return &Grant{AllSpaces: true, SpaceIDs: []string{}, Permission: "readwrite"}
}

// mintKey makes a key: std base64 of 32 random bytes (44 characters) up to
// heart v0.47, anytype_<48 alnum>_<8 hex> on newer servers.
func (s *Server) mintKey() string {
	if s.cfg.PrefixedKeys {
		const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
		b := randomBytes(48)
		for i := range b {
			b[i] = alnum[int(b[i])%len(alnum)]
		}
		return "anytype_" + string(b) + "_" + randomHex(4)
	}
	b := make([]byte, 32)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// authenticate is the auth middleware of the configured generation. It
// writes the 401 and returns false when the key is missing, unknown or
// expired; on newer servers it sets the key-status signal headers of an
// accepted key (docs/anytype-api.md §6).
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (keyInfo, bool) {
	h, has := r.Header["Authorization"]
	var msg string
	switch {
	case !has:
		msg = "missing authorization header"
	case !strings.HasPrefix(h[0], "Bearer ") || h[0] == "Bearer ": // case-sensitive, as the real check
		msg = "invalid authorization header format"
	default:
		s.mu.Lock()
		info, ok := s.valid[strings.TrimPrefix(h[0], "Bearer ")]
		s.mu.Unlock()
		switch {
		case ok && s.newer() && !info.expiresAt.IsZero() && !time.Now().Before(info.expiresAt):
			msg = "api key expired"
		case ok:
			if s.newer() {
				s.signal(w, info)
			}
			return info, true
		default:
			msg = "invalid api key"
			if s.cfg.Oldest || s.cfg.Version < versionNewPaths {
				msg = "invalid token" // heart 0.40.x wording
			}
		}
	}
	if s.cfg.Oldest {
		// heart 0.39.x: {"error":"…"} with capitalised messages.
		msg = map[string]string{
			"missing authorization header":        "Missing Authorization header",
			"invalid authorization header format": "Invalid Authorization header format",
			"invalid token":                       "Invalid token",
		}[msg]
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": msg})
		return keyInfo{}, false
	}
	if s.newer() {
		challenge := `Bearer realm="anytype", error="invalid_token"`
		if msg == "missing authorization header" {
			challenge = `Bearer realm="anytype"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
	}
	s.apiError(w, http.StatusUnauthorized, msg)
	return keyInfo{}, false
}

// Signal headers of newer heart (util/keystatus.go, as documented).
const (
	legacyNotice   = "This API key is a legacy unscoped key with access to every space. It will keep working. Re-issue it as a scoped key in Settings > API Keys."
	deprecationURL = `<https://developers.anytype.io/docs/guides/get-started/authentication>; rel="deprecation"; type="text/html"`
)

// signal sets Anytype-Key-Status on an authenticated answer, and for a
// legacy key of JsonAPI scope the Anytype-Notice and Link headers.
func (s *Server) signal(w http.ResponseWriter, info keyInfo) {
	if info.grant != nil {
		w.Header().Set("Anytype-Key-Status", "scoped")
		return
	}
	w.Header().Set("Anytype-Key-Status", "legacy")
	if info.scope == ScopeJSONAPI {
		w.Header().Set("Anytype-Notice", legacyNotice)
		w.Header().Set("Link", deprecationURL)
	}
}

// spaces is GET /v1/spaces: the pagination check runs before authentication.
func (s *Server) spaces(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if q := r.URL.Query(); q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 1 || n > 1000 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "limit must be between 1 and 1000"})
			return
		}
		limit = n
	}
	info, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	if info.grant.v2Only() {
		s.scopedOnV1(w, info)
		return
	}
	space := map[string]any{"object": "space", "id": "bafyreifake", "name": "Personal"}
	writeJSON(w, http.StatusOK, map[string]any{
		"data":       []any{space},
		"pagination": map[string]any{"total": 1, "offset": 0, "limit": limit, "has_more": false},
	})
}

// whoami is GET /v2/auth/whoami on newer servers: the body of APIV2.md
// §1.5 in snake_case, or in the intermediate camelCase version (no
// all_spaces, no restricted) with Config.WhoamiCamel.
func (s *Server) whoami(w http.ResponseWriter, r *http.Request) {
	info, ok := s.authenticate(w, r)
	if !ok || !s.jsonAPIScope(w, info) {
		return
	}
	camel := s.cfg.WhoamiCamel
	name := func(snake, camelName string) string { // the body's two spellings
		if camel {
			return camelName
		}
		return snake
	}
	stamp := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UTC().Format(time.RFC3339)
	}
	sum := sha256.Sum256([]byte(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")))
	scope := info.scope
	if scope == "" {
		scope = ScopeJSONAPI
	}
	grant := map[string]any{"scoped": false, "permission": nil, "spaces": []any{}}
	status := "legacy"
	if g := info.grant; g != nil {
		status = "scoped"
		spaces := []any{}
		if !g.AllSpaces || r.URL.Query().Get("spaces") == "true" {
			ids := g.SpaceIDs
			if g.AllSpaces {
				ids = []string{"bafyfakeall1", "bafyfakeall2"}
			}
			for i, id := range ids {
				spaces = append(spaces, map[string]any{"id": id, "name": fmt.Sprintf("Space %d", i+1), "permission": g.Permission})
			}
		}
		grant = map[string]any{"scoped": true, "permission": g.Permission, "spaces": spaces}
		if !camel {
			grant["all_spaces"] = g.AllSpaces
			grant["restricted"] = !g.AllSpaces || g.Permission != "readwrite"
		}
		if g.AllSpaces && !camel {
			// Only the current spec counts spaces under all spaces.
			grant["space_count"] = 2
		}
	} else if !camel {
		grant["all_spaces"] = false
		grant["restricted"] = false
	}
	body := map[string]any{
		"key": map[string]any{
			"id":                            hex.EncodeToString(sum[:]),
			"name":                          info.appName,
			name("created_at", "createdAt"): stamp(info.created),
			name("expires_at", "expiresAt"): stamp(info.expiresAt),
		},
		"scope":                         scope,
		"grant":                         grant,
		"api":                           map[string]any{"version": s.cfg.Version},
		name("key_status", "keyStatus"): status,
	}
	if info.grant == nil && scope == ScopeJSONAPI {
		body["notice"] = legacyNotice
	}
	writeJSON(w, http.StatusOK, body)
}

// jsonAPIScope is newer heart's /v2 scope gate: only JsonAPI and Full
// keys pass; a Limited key gets 403 on every /v2 route, whoami included.
func (s *Server) jsonAPIScope(w http.ResponseWriter, info keyInfo) bool {
	if info.scope != ScopeLimited {
		return true
	}
	s.apiError(w, http.StatusForbidden, fmt.Sprintf("api key scope does not allow json api access: key %q has Limited scope, create a new api key with JsonAPI scope", info.appName))
	return false
}

// scopedOnV1 is newer heart's answer to a narrowly granted key on any /v1
// route: 403 in the v2 envelope (no "object" field), naming the grant.
func (s *Server) scopedOnV1(w http.ResponseWriter, info keyInfo) {
	g := info.grant
	where := "all spaces"
	if !g.AllSpaces {
		where = "spaces [" + strings.Join(g.SpaceIDs, " ") + "]"
	}
	access := "read"
	if g.Permission == "readwrite" {
		access = "read & write"
	}
	w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope"`)
	writeJSON(w, http.StatusForbidden, map[string]any{"status": 403,
		"code": "v1_not_available_for_scoped_keys",
		"message": fmt.Sprintf("key %q carries a space grant (%s with %s access), which /v1 cannot honor — call the same route on /v2, or issue an unscoped key for /v1",
			info.appName, where, access),
		"issues": []any{}})
}
