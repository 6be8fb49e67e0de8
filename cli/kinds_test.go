package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// keyKind is one kind of key newer Anytype makes (issue 17's table).
type keyKind struct {
	name string
	opts fakeanytype.KeyOptions
	// what each command must say about it
	add, list, verify, env []string
	verifyErr              []string // on stderr
	listJSON               map[string]any
	verifyExit             int
	addExit                int
	noWarn                 bool // env and mcp say nothing about it
}

func keyKinds(now time.Time) []keyKind {
	soon := now.Add(72 * time.Hour).UTC().Truncate(time.Second)
	past := now.Add(-48 * time.Hour).UTC().Truncate(time.Second)
	return []keyKind{
		{name: "legacy", opts: fakeanytype.KeyOptions{Name: "legacy"},
			add: []string{`saved key "legacy"`}, list: []string{"legacy"},
			verify:    []string{"legacy: valid, legacy key (unscoped: every space, /v1 and /v2)"},
			verifyErr: []string{"anykey: Anytype says: This API key is a legacy unscoped key with access to every space.", "hint: anykey rotate legacy pairs a new key"},
			listJSON:  map[string]any{"kind": "legacy"}, noWarn: true},
		{name: "allrw", opts: fakeanytype.KeyOptions{Name: "allrw", Grant: &fakeanytype.Grant{AllSpaces: true, Permission: "readwrite"}},
			add: []string{`saved key "allrw"`}, list: []string{"scoped", "all spaces, read-write"},
			verify:   []string{"allrw: valid, scoped (all spaces, read-write)"},
			listJSON: map[string]any{"kind": "scoped"}, noWarn: true},
		{name: "oneread", opts: fakeanytype.KeyOptions{Name: "oneread", Grant: &fakeanytype.Grant{SpaceIDs: []string{"bafyone"}, Permission: "read"}},
			add:  []string{`warning: key "oneread" is scoped (1 space, read-only): it works only on Anytype's /v2 API`},
			list: []string{"scoped", "1 space, read-only"}, verify: []string{"oneread: valid, works only on /v2 (1 space, read-only)"},
			env:      []string{"works only on Anytype's /v2 API", "anytype-mcp and other /v1 tools get 403"},
			listJSON: map[string]any{"kind": "scoped"}},
		{name: "limited", opts: fakeanytype.KeyOptions{Name: "clipper", Scope: fakeanytype.ScopeLimited},
			add:  []string{`warning: key "limited" has Limited scope`, "anytype-mcp works with it", "Anytype's own MCP endpoint refuse it"},
			list: []string{"Limited"}, verify: []string{"limited: valid, Limited scope: it works on Anytype's /v1 API"},
			env:      []string{"Limited scope", "anykey rotate limited"},
			listJSON: map[string]any{"kind": "limited"}},
		{name: "expiring", opts: fakeanytype.KeyOptions{Name: "expiring", Grant: &fakeanytype.Grant{AllSpaces: true, Permission: "readwrite"}, ExpiresAt: soon},
			add:  []string{"warning: key \"expiring\" expires on " + dateText(soon), "anykey rotate expiring"},
			list: []string{dateText(soon), "expires soon: anykey rotate expiring"}, verify: []string{"expiring: valid, scoped (all spaces, read-write); EXPIRES SOON, on " + dateText(soon)},
			env:      []string{"expires on " + dateText(soon), "anykey rotate expiring"},
			listJSON: map[string]any{"kind": "scoped", "expires_at": soon.Format(time.RFC3339)}},
		{name: "expired", opts: fakeanytype.KeyOptions{Name: "expired", ExpiresAt: past},
			add:      []string{"says this key has expired; it was not saved", "anykey pair expired"},
			list:     []string{dateText(past), "EXPIRED: anykey rotate expired"},
			verify:   []string{"expired: expired on " + dateText(past)},
			env:      []string{"expired on " + dateText(past), "anykey rotate expired"},
			listJSON: map[string]any{"expires_at": past.Format(time.RFC3339), "expired": true}, addExit: 1, verifyExit: 1},
	}
}

// TestKeyKinds runs add, list, list --json, verify, env and mcp on every
// kind of key against the fake newer Anytype, in both whoami spellings.
func TestKeyKinds(t *testing.T) {
	t.Parallel()
	// One clock reading for every expectation: a second keyKinds(time.Now())
	// can fall in the next minute and print other dates (a flake seen in CI).
	kinds := keyKinds(time.Now())
	for _, camel := range []bool{false, true} {
		h := newHarness(t, fakeanytype.Config{Whoami: true, WhoamiCamel: camel, PrefixedKeys: true})
		h.deps.now = time.Now
		for _, k := range kinds {
			key := h.srv.AddKey(k.opts)
			r := h.run(strings.NewReader(key+"\n"), "add", k.name)
			if r.code != k.addExit {
				t.Errorf("camel %v: add %s: exit %d\n%s", camel, k.name, r.code, r.stderr)
			}
			want(t, "add "+k.name, r.stderr, k.add...)
			if strings.Contains(r.stderr, "copy the key again") || strings.Contains(r.stderr, "rejected") {
				t.Errorf("camel %v: add %s calls the key rejected:\n%s", camel, k.name, r.stderr)
			}
			if k.addExit != 0 {
				// Saved before it expired, to test the rest.
				h.srv.SetExpiry(key, time.Now().Add(time.Hour))
				if r := h.run(strings.NewReader(key+"\n"), "add", k.name); r.code != 0 {
					t.Fatalf("add %s before it expired: %d %s", k.name, r.code, r.stderr)
				}
				h.srv.SetExpiry(key, k.opts.ExpiresAt)
				setExpiry(t, h, k.name, k.opts.ExpiresAt)
			}
			r = h.run(nil, "verify", k.name)
			if r.code != k.verifyExit {
				t.Errorf("camel %v: verify %s: exit %d\n%s%s", camel, k.name, r.code, r.stdout, r.stderr)
			}
			want(t, "verify "+k.name, r.stdout, k.verify...)
			want(t, "verify "+k.name, r.stderr, k.verifyErr...)
			if k.name == "expired" {
				want(t, "verify expired", r.stderr, "hint: pair a new key under the same name: anykey rotate expired")
				if strings.Contains(r.stderr+r.stdout, "copy the key") || strings.Contains(r.stdout, "rejected") {
					t.Errorf("verify of an expired key:\n%s%s", r.stdout, r.stderr)
				}
			}
			for _, cmd := range []string{"env", "mcp"} {
				r = h.run(nil, cmd, k.name)
				if k.noWarn && strings.Contains(r.stderr, "warning") {
					t.Errorf("camel %v: %s %s warns:\n%s", camel, cmd, k.name, r.stderr)
				}
				want(t, cmd+" "+k.name, r.stderr, k.env...)
			}
		}
		r := h.run(nil, "list")
		for _, k := range kinds {
			line := ""
			for _, l := range strings.Split(r.stdout, "\n") {
				if strings.HasPrefix(l, k.name+" ") {
					line = l
				}
			}
			want(t, "list line of "+k.name, line, k.list...)
		}
		if !strings.HasPrefix(r.stdout, "NAME") || !strings.Contains(strings.SplitN(r.stdout, "\n", 2)[0], "KIND") {
			t.Errorf("list header: %q", r.stdout)
		}
		r = h.run(nil, "list", "--json")
		var items []map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &items); err != nil {
			t.Fatal(err)
		}
		for _, k := range kinds {
			for _, it := range items {
				if it["name"] != k.name {
					continue
				}
				for f, v := range k.listJSON {
					if f == "expires_at" {
						continue // set from the second add for "expired"
					}
					if it[f] != v {
						t.Errorf("camel %v: list --json %s: %s = %v, want %v", camel, k.name, f, it[f], v)
					}
				}
			}
		}
	}
}

// setExpiry rewrites the saved expiry of name, as if Anytype had said it.
func setExpiry(t *testing.T, h *harness, name string, at time.Time) {
	t.Helper()
	e, err := h.store.Lookup(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := h.store.Get(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	e.ExpiresAt = at.UTC().Format(time.RFC3339)
	if err := h.store.Set(t.Context(), e, secret, true); err != nil {
		t.Fatal(err)
	}
}

// TestValidNoteKeepsSavedGrant: what whoami did not say clearly never
// replaces the grant the api_keys answer gave, and a legacy key's whoami
// overrides the {"all_spaces":false} that the old misread saved.
func TestValidNoteKeepsSavedGrant(t *testing.T) {
	t.Parallel()
	now := time.Now()
	narrow := keystore.Entry{Name: "n", Grant: json.RawMessage(`{"all_spaces":false,"space_ids":["a"],"permission":"read"}`)}
	misread := keystore.Entry{Name: "m", Grant: json.RawMessage(`{"all_spaces":false}`)}
	cases := []struct {
		e    keystore.Entry
		res  auth.CheckResult
		want string
	}{
		{narrow, auth.CheckResult{Validity: auth.Valid}, "works only on /v2 (1 space, read-only): anytype-mcp and other /v1 tools get 403"},
		{narrow, auth.CheckResult{Validity: auth.Valid, Kind: auth.KindScoped}, "works only on /v2 (1 space, read-only): anytype-mcp and other /v1 tools get 403"},
		{misread, auth.CheckResult{Validity: auth.Valid, Kind: auth.KindLegacy}, "legacy key (unscoped: every space, /v1 and /v2)"},
		{misread, auth.CheckResult{Validity: auth.Valid}, ""},
		{narrow, auth.CheckResult{Validity: auth.Valid, Kind: auth.KindScoped, Grant: &auth.Grant{AllSpaces: true, Permission: "readwrite"}}, "scoped (all spaces, read-write)"},
	}
	for _, tc := range cases {
		if got := validNote(tc.e, tc.res, now); got != tc.want {
			t.Errorf("validNote(%s, %+v) = %q, want %q", tc.e.Grant, tc.res, got, tc.want)
		}
	}
	// list and the env/mcp warnings read the old misread as no grant.
	if g := grantOf(misread); g != nil {
		t.Errorf("grantOf(misread) = %+v, want nil", g)
	}
}

// TestValidNoteExpiryPassed: Anytype accepted a key whose whoami expiry
// has passed by this computer's clock (skew, or a far-past date from a
// broken server). verify does not call that date "soon", and says the
// key was accepted.
func TestValidNoteExpiryPassed(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 17, 0, 0, 0, time.UTC)
	all := &auth.Grant{AllSpaces: true, Permission: "readwrite"}
	for _, at := range []time.Time{now, now.Add(-7 * time.Hour), time.Unix(0, 0)} {
		got := validNote(keystore.Entry{}, auth.CheckResult{Validity: auth.Valid, Kind: auth.KindScoped, Grant: all, ExpiresAt: at}, now)
		want := "scoped (all spaces, read-write); its expiry, " + dateText(at) + ", has passed by this computer's clock, yet Anytype still accepted it"
		if got != want {
			t.Errorf("expiry %v: %q, want %q", at, got, want)
		}
	}
	if got := validNote(keystore.Entry{}, auth.CheckResult{Validity: auth.Valid, Kind: auth.KindScoped, Grant: all, ExpiresAt: now.Add(time.Hour)}, now); !strings.Contains(got, "EXPIRES SOON") {
		t.Errorf("an hour ahead: %q", got)
	}
}
