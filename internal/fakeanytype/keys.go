package fakeanytype

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
)

type keyInfo struct {
	appName string
	grant   *Grant
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
// writes the 401 and returns false when the key is missing or unknown.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (keyInfo, bool) {
	h, has := r.Header["Authorization"]
	var msg string
	switch {
	case !has:
		msg = "missing authorization header"
	case !strings.HasPrefix(h[0], "Bearer "): // case-sensitive, as the real check
		msg = "invalid authorization header format"
	default:
		s.mu.Lock()
		info, ok := s.valid[strings.TrimPrefix(h[0], "Bearer ")]
		s.mu.Unlock()
		if ok {
			return info, true
		}
		msg = "invalid api key"
		if s.cfg.Oldest || s.cfg.Version < versionNewPaths {
			msg = "invalid token" // heart 0.40.x wording
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
	s.apiError(w, http.StatusUnauthorized, msg)
	return keyInfo{}, false
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
		s.scopedOnV1(w)
		return
	}
	space := map[string]any{"object": "space", "id": "bafyreifake", "name": "Personal"}
	writeJSON(w, http.StatusOK, map[string]any{
		"data":       []any{space},
		"pagination": map[string]any{"total": 1, "offset": 0, "limit": limit, "has_more": false},
	})
}

// whoami is GET /v2/auth/whoami on newer servers.
func (s *Server) whoami(w http.ResponseWriter, r *http.Request) {
	info, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	status := "legacy"
	if s.cfg.PrefixedKeys || info.grant != nil {
		status = "scoped"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"object":     "api_key",
		"app_name":   info.appName,
		"key_status": status,
		"grant":      info.grant,
	})
}

// scopedOnV1 is newer heart's answer to a narrowly granted key on any /v1
// route: 403 in the v2-style envelope.
func (s *Server) scopedOnV1(w http.ResponseWriter) {
	writeJSON(w, http.StatusForbidden, map[string]any{"object": "error", "status": 403,
		"code":    "v1_not_available_for_scoped_keys",
		"message": "this api key is scoped; use the /v2 api"})
}
