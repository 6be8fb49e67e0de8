package fakeanytype

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"sort"
	"testing"
	"time"
)

// getRaw is GET with a bearer key, returning the status, headers and body.
func getRaw(t *testing.T, url, key string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// TestWhoamiBody: whoami answers in the shape of §8.4, in both spellings,
// for a legacy key and a one-space key.
func TestWhoamiBody(t *testing.T) {
	t.Parallel()
	exp := time.Date(2030, 3, 17, 17, 46, 40, 0, time.UTC)
	for _, camel := range []bool{false, true} {
		s := Start(t, Config{Whoami: true, WhoamiCamel: camel})
		legacy := s.AddKey(KeyOptions{Name: "old-script", ExpiresAt: exp})
		one := s.AddKey(KeyOptions{Name: "Claude", Grant: &Grant{SpaceIDs: []string{"spaceA"}, Permission: "read"}})

		st, h, b := getRaw(t, s.URL()+"/v2/auth/whoami", legacy)
		var w map[string]any
		if err := json.Unmarshal(b, &w); st != 200 || err != nil {
			t.Fatalf("camel %v: whoami = %d %s", camel, st, b)
		}
		wantTop := []string{"api", "grant", "key", "key_status", "notice", "scope"}
		wantKey := []string{"created_at", "expires_at", "id", "name"}
		wantGrant := []string{"all_spaces", "permission", "restricted", "scoped", "spaces"}
		status, expires := "key_status", "expires_at"
		if camel {
			wantTop = []string{"api", "grant", "key", "keyStatus", "notice", "scope"}
			wantKey = []string{"createdAt", "expiresAt", "id", "name"}
			wantGrant = []string{"permission", "scoped", "spaces"}
			status, expires = "keyStatus", "expiresAt"
		}
		key, _ := w["key"].(map[string]any)
		g, _ := w["grant"].(map[string]any)
		if !reflect.DeepEqual(keysOf(w), wantTop) || !reflect.DeepEqual(keysOf(key), wantKey) || !reflect.DeepEqual(keysOf(g), wantGrant) {
			t.Errorf("camel %v: legacy whoami fields %v / %v / %v", camel, keysOf(w), keysOf(key), keysOf(g))
		}
		if g["scoped"] != false || g["permission"] != nil || string(mustJSON(g["spaces"])) != "[]" ||
			w[status] != "legacy" || w["scope"] != "jsonApi" || key[expires] != "2030-03-17T17:46:40Z" {
			t.Errorf("camel %v: legacy whoami = %s", camel, b)
		}
		if h.Get("Anytype-Key-Status") != "legacy" || h.Get("Anytype-Notice") != legacyNotice || h.Get("Link") != deprecationURL {
			t.Errorf("camel %v: legacy signal headers %v", camel, h)
		}

		st, h, b = getRaw(t, s.URL()+"/v2/auth/whoami", one)
		w = nil
		json.Unmarshal(b, &w)
		g, _ = w["grant"].(map[string]any)
		spaces, _ := g["spaces"].([]any)
		if st != 200 || g["scoped"] != true || g["permission"] != "read" || len(spaces) != 1 || w[status] != "scoped" || w["notice"] != nil {
			t.Errorf("camel %v: one-space whoami = %d %s", camel, st, b)
		}
		if sp, _ := spaces[0].(map[string]any); sp["id"] != "spaceA" || sp["permission"] != "read" {
			t.Errorf("camel %v: spaces[0] = %v", camel, spaces[0])
		}
		if h.Get("Anytype-Key-Status") != "scoped" || h.Get("Anytype-Notice") != "" {
			t.Errorf("camel %v: scoped signal headers %v", camel, h)
		}
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// TestLimitedScope: a Limited key gets the scope gate's 403 on /v2 and
// 200 on /v1, with the legacy status and no notice.
func TestLimitedScope(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{Whoami: true})
	key := s.AddKey(KeyOptions{Name: "clipper", Scope: ScopeLimited})
	st, _, b := getRaw(t, s.URL()+"/v2/auth/whoami", key)
	want := `{"code":"forbidden","message":"api key scope does not allow json api access: key \"clipper\" has Limited scope, create a new api key with JsonAPI scope","object":"error","status":403}` + "\n"
	if st != http.StatusForbidden || string(b) != want {
		t.Errorf("whoami with a Limited key = %d %s", st, b)
	}
	st, h, _ := getRaw(t, s.URL()+"/v1/spaces?limit=1", key)
	if st != http.StatusOK || h.Get("Anytype-Key-Status") != "legacy" || h.Get("Anytype-Notice") != "" {
		t.Errorf("/v1/spaces with a Limited key = %d %v", st, h)
	}
}

// TestExpiry: past its expiry a key gets 401 "api key expired" with the
// invalid_token challenge and no signal headers, on every route.
func TestExpiry(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{Whoami: true})
	key := s.AddKey(KeyOptions{Name: "x", ExpiresAt: time.Now().Add(-time.Second)})
	for _, path := range []string{"/v2/auth/whoami", "/v1/spaces?limit=1"} {
		st, h, b := getRaw(t, s.URL()+path, key)
		var e map[string]any
		json.Unmarshal(b, &e)
		if st != http.StatusUnauthorized || e["message"] != "api key expired" ||
			h.Get("WWW-Authenticate") != `Bearer realm="anytype", error="invalid_token"` || h.Get("Anytype-Key-Status") != "" {
			t.Errorf("%s with an expired key = %d %v %s", path, st, h, b)
		}
	}
	st, h, _ := getRaw(t, s.URL()+"/v1/spaces?limit=1", "unknown")
	if st != http.StatusUnauthorized || h.Get("WWW-Authenticate") != `Bearer realm="anytype", error="invalid_token"` {
		t.Errorf("unknown key = %d %v", st, h)
	}
}

// TestV1GrantGate: /v1 serves no grant and all spaces read & write; every
// narrower grant gets the 403 of §8.3, word for word.
func TestV1GrantGate(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{Whoami: true})
	for _, tt := range []struct {
		grant *Grant
		want  int
		msg   string
	}{
		{nil, 200, ""},
		{&Grant{AllSpaces: true, Permission: "readwrite"}, 200, ""},
		{&Grant{SpaceIDs: []string{"ID"}, Permission: "read"}, 403,
			`key "NAME" carries a space grant (spaces [ID] with read access), which /v1 cannot honor — call the same route on /v2, or issue an unscoped key for /v1`},
		{&Grant{AllSpaces: true, Permission: "read"}, 403,
			`key "NAME" carries a space grant (all spaces with read access), which /v1 cannot honor — call the same route on /v2, or issue an unscoped key for /v1`},
	} {
		key := s.AddKey(KeyOptions{Name: "NAME", Grant: tt.grant})
		st, h, b := getRaw(t, s.URL()+"/v1/spaces?limit=1", key)
		var e map[string]any
		json.Unmarshal(b, &e)
		if st != tt.want || tt.want == 403 && (e["message"] != tt.msg || e["code"] != "v1_not_available_for_scoped_keys" ||
			e["object"] != nil || h.Get("WWW-Authenticate") != `Bearer error="insufficient_scope"`) {
			t.Errorf("grant %+v on /v1 = %d %v %s", tt.grant, st, h, b)
		}
	}
}
