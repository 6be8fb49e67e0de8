package auth

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// TestDecodeWhoami reads whoami's bodies as Anytype writes them (§8.4 of
// the project's notes; the camelCase ones as in heart's whoami_test.go @
// 219d7543): scoped decides legacy, spaces are objects, both spellings.
func TestDecodeWhoami(t *testing.T) {
	t.Parallel()
	exp := time.Date(2030, 3, 17, 17, 46, 40, 0, time.UTC)
	tests := []struct {
		name string
		body string
		want whoami
	}{
		{"legacy snake", `{"key":{"id":"h","name":"old","created_at":null,"expires_at":"2030-03-17T17:46:40Z"},"scope":"jsonApi",
			"grant":{"scoped":false,"restricted":false,"all_spaces":false,"permission":null,"spaces":[]},"api":{"version":"2025-11-08"},
			"key_status":"legacy","notice":"re-issue it"}`,
			whoami{kind: KindLegacy, expiresAt: exp, notice: "re-issue it"}},
		{"legacy camel", `{"key":{"id":"h","name":"old","createdAt":null,"expiresAt":"2030-03-17T17:46:40Z"},"scope":"jsonApi",
			"grant":{"scoped":false,"permission":null,"spaces":[]},"api":{"version":"2025-11-08"},"keyStatus":"legacy"}`,
			whoami{kind: KindLegacy, expiresAt: exp}},
		{"one space snake", `{"key":{"id":"h","name":"c","created_at":"2023-11-14T22:13:20Z","expires_at":null},"scope":"jsonApi",
			"grant":{"scoped":true,"restricted":true,"all_spaces":false,"permission":"read","spaces":[{"id":"spaceA","name":"Work","permission":"read"}]},
			"api":{"version":"2025-11-08"},"key_status":"scoped"}`,
			whoami{kind: KindScoped, grant: &Grant{SpaceIDs: []string{"spaceA"}, Permission: "read"}}},
		{"one space camel", `{"key":{"id":"h","name":"c","createdAt":"2023-11-14T22:13:20Z","expiresAt":null},"scope":"jsonApi",
			"grant":{"scoped":true,"permission":"readwrite","spaces":[{"id":"spaceA","name":"Work","permission":"readwrite"}]},
			"api":{"version":"2025-11-08"},"keyStatus":"scoped"}`,
			whoami{kind: KindScoped, grant: &Grant{SpaceIDs: []string{"spaceA"}, Permission: "readwrite"}}},
		{"all spaces snake", `{"grant":{"scoped":true,"restricted":false,"all_spaces":true,"permission":"readwrite","spaces":[],"space_count":3},"key_status":"scoped"}`,
			whoami{kind: KindScoped, grant: &Grant{AllSpaces: true, Permission: "readwrite"}}},
		{"all spaces listed with ?spaces=true", `{"grant":{"scoped":true,"all_spaces":true,"permission":"read","spaces":[{"id":"a"},{"id":"b"}],"space_count":2}}`,
			whoami{kind: KindScoped, grant: &Grant{AllSpaces: true, Permission: "read"}}},
		{"allSpaces camel", `{"grant":{"scoped":true,"allSpaces":true,"permission":"readwrite","spaces":[]},"keyStatus":"scoped"}`,
			whoami{kind: KindScoped, grant: &Grant{AllSpaces: true, Permission: "readwrite"}}},
		{"spaceCount camel", `{"grant":{"scoped":true,"permission":"read","spaces":[],"spaceCount":4}}`,
			whoami{kind: KindScoped, grant: &Grant{AllSpaces: true, Permission: "read"}}},
		// The camelCase version without all_spaces: an all-spaces grant
		// cannot be told apart, so no grant is claimed.
		{"camel all spaces unsaid", `{"grant":{"scoped":true,"permission":"readwrite","spaces":[]},"keyStatus":"scoped"}`,
			whoami{kind: KindScoped}},
		{"some spaces none named", `{"grant":{"scoped":true,"all_spaces":false,"permission":"read","spaces":[]}}`,
			whoami{kind: KindScoped}},
		{"no scoped flag", `{"grant":{"all_spaces":false,"permission":"read"},"key_status":"scoped"}`, whoami{kind: KindScoped}},
		{"the api_keys shape is not whoami's", `{"grant":{"all_spaces":false,"space_ids":[],"permission":null}}`, whoami{}},
		{"grant null", `{"grant":null}`, whoami{}},
		{"grant wrongly typed", `{"grant":"all","key_status":"legacy"}`, whoami{}},
		{"status unknown word", `{"key_status":"gold"}`, whoami{}},
		{"bad expiry", `{"key":{"expires_at":"next tuesday"},"grant":{"scoped":false}}`, whoami{kind: KindLegacy}},
		{"not json", `<html>`, whoami{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decodeWhoami([]byte(tt.body))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decodeWhoami = %+v (grant %+v), want %+v (grant %+v)", got, got.grant, tt.want, tt.want.grant)
			}
		})
	}
}

// TestCheckKinds runs Check on every kind of key newer Anytype makes,
// against the fake in both whoami spellings, and on older servers.
func TestCheckKinds(t *testing.T) {
	t.Parallel()
	soon := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second)
	all := &fakeanytype.Grant{AllSpaces: true, Permission: "readwrite"}
	allRead := &fakeanytype.Grant{AllSpaces: true, Permission: "read"}
	one := &fakeanytype.Grant{SpaceIDs: []string{"bafyone"}, Permission: "read"}
	tests := []struct {
		name   string
		opts   fakeanytype.KeyOptions
		v      Validity
		kind   Kind
		v2Only bool
		notice bool
	}{
		{"legacy", fakeanytype.KeyOptions{Name: "old"}, Valid, KindLegacy, false, true},
		{"legacy full scope", fakeanytype.KeyOptions{Name: "desk", Scope: fakeanytype.ScopeFull}, Valid, KindLegacy, false, false},
		{"all spaces read-write", fakeanytype.KeyOptions{Name: "rw", Grant: all}, Valid, KindScoped, false, false},
		{"all spaces read", fakeanytype.KeyOptions{Name: "r", Grant: allRead}, Valid, KindScoped, true, false},
		{"one space read-only", fakeanytype.KeyOptions{Name: "one", Grant: one}, Valid, KindScoped, true, false},
		{"limited", fakeanytype.KeyOptions{Name: "clipper", Scope: fakeanytype.ScopeLimited}, Valid, KindLimited, false, false},
		{"expiring", fakeanytype.KeyOptions{Name: "soon", Grant: all, ExpiresAt: soon}, Valid, KindScoped, false, false},
		{"expired", fakeanytype.KeyOptions{Name: "gone", Grant: all, ExpiresAt: time.Now().Add(-time.Hour)}, Expired, KindUnknown, false, false},
	}
	for _, camel := range []bool{false, true} {
		c, srv := setup(t, fakeanytype.Config{Whoami: true, WhoamiCamel: camel, PrefixedKeys: true})
		for _, tt := range tests {
			key := srv.AddKey(tt.opts)
			res, err := c.Check(t.Context(), key)
			if err != nil || res.Validity != tt.v || res.Kind != tt.kind {
				t.Errorf("camel %v, %s: Check = %+v, %v; want %v, kind %q", camel, tt.name, res, err, tt.v, tt.kind)
				continue
			}
			if got := V2Only(res.Grant) || res.V1Refused; got != tt.v2Only {
				t.Errorf("camel %v, %s: /v2 only = %v (%+v), want %v", camel, tt.name, got, res, tt.v2Only)
			}
			if (res.Notice != "") != tt.notice || tt.notice && !strings.Contains(res.Notice, "legacy unscoped key") {
				t.Errorf("camel %v, %s: notice %q, want one: %v", camel, tt.name, res.Notice, tt.notice)
			}
			if tt.v == Valid && !res.ExpiresAt.Equal(tt.opts.ExpiresAt) {
				t.Errorf("camel %v, %s: expires %v, want %v", camel, tt.name, res.ExpiresAt, tt.opts.ExpiresAt)
			}
			if g := res.Grant; tt.name == "one space read-only" && (g == nil || len(g.SpaceIDs) != 1 || g.Permission != "read") {
				t.Errorf("camel %v: one space read-only read as %+v", camel, g)
			}
		}
		// A 403 on whoami is asked again on /v1: the Limited key did.
		key := srv.AddKey(fakeanytype.KeyOptions{Name: "clip2", Scope: fakeanytype.ScopeLimited})
		c.Check(t.Context(), key)
		reqs := srv.Requests()
		if p := reqs[len(reqs)-1].Path; p != "/v1/spaces" {
			t.Errorf("a Limited key's last request was %s, want /v1/spaces", p)
		}
		srv.Revoke(key)
		if res, err := c.Check(t.Context(), key); res.Validity != Rejected || err != nil {
			t.Errorf("revoked: %+v, %v; want rejected", res, err)
		}
	}
}

// TestCheckSignalsCleaned: Anytype-Key-Status is read from the headers
// when whoami is absent, and Anytype-Notice is cleaned like every server
// text: no key echoed back, no bidi controls (net/http's parser refuses
// C0 controls in a header already).
func TestCheckSignalsCleaned(t *testing.T) {
	t.Parallel()
	url := newHandlerServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/spaces" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Anytype-Key-Status", "legacy")
		w.Header().Set("Anytype-Notice", "use "+secretKey+" \u202eelsewhere\u2066")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"data":[],"pagination":{"total":0,"offset":0,"limit":1,"has_more":false}}`))
	})
	c, err := NewClient(url)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Check(t.Context(), secretKey)
	if err != nil || res.Validity != Valid || res.Kind != KindLegacy {
		t.Fatalf("Check = %+v, %v", res, err)
	}
	if strings.Contains(res.Notice, secretKey) || strings.ContainsAny(res.Notice, "\u202e\u2066") || !strings.Contains(res.Notice, "[redacted]") {
		t.Errorf("notice not cleaned: %q", res.Notice)
	}
}
