package main

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// TestKeyKinds: each kind -key mints is the key of that kind as anykey's
// own check reads it from the fake, so the kinds a person tries by hand
// are the ones issue 17's table names.
func TestKeyKinds(t *testing.T) {
	srv := fakeanytype.New(fakeanytype.Config{PrefixedKeys: true, Whoami: true})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	srv.SetURL(hs.URL)
	c, err := auth.NewClient(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[string]struct {
		validity auth.Validity
		kind     auth.Kind
		v1       bool // refused on /v1
		expires  bool
	}{
		"legacy":   {auth.Valid, auth.KindLegacy, false, false},
		"all":      {auth.Valid, auth.KindScoped, false, false},
		"one-read": {auth.Valid, auth.KindScoped, true, false},
		"limited":  {auth.Valid, auth.KindLimited, false, false},
		"expiring": {auth.Valid, auth.KindScoped, false, true},
		"expired":  {auth.Expired, auth.KindUnknown, false, false},
	} {
		var k keyKinds
		if err := k.Set(kind); err != nil {
			t.Fatal(err)
		}
		res, err := c.Check(t.Context(), srv.AddKey(keyOptions(kind)))
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if res.Validity != want.validity || res.Kind != want.kind || auth.V2Only(res.Grant) != want.v1 ||
			res.ExpiresAt.IsZero() == want.expires || want.expires && time.Until(res.ExpiresAt) > 7*24*time.Hour {
			t.Errorf("-key %s: %+v", kind, res)
		}
	}
	var k keyKinds
	if err := k.Set("scoped"); err == nil {
		t.Error("-key scoped (no such kind) accepted")
	}
}
