package auth

import (
	"errors"
	"net/http"
	"testing"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  fakeanytype.Config
		path string // the request that decides
	}{
		{"whoami", fakeanytype.Config{Whoami: true, PrefixedKeys: true}, "/v2/auth/whoami"},
		{"spaces on 2025-11-08", fakeanytype.Config{}, "/v1/spaces"},
		{"spaces on 2025-03-17", fakeanytype.Config{Version: "2025-03-17"}, "/v1/spaces"},
		{"spaces on heart 0.39", fakeanytype.Config{Oldest: true}, "/v1/spaces"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t, tt.cfg)
			ch, err := c.CreateChallenge(t.Context(), "n")
			if err != nil {
				t.Fatal(err)
			}
			key, err := c.CreateAPIKey(t.Context(), ch, codeFor(t, srv, false))
			if err != nil {
				t.Fatal(err)
			}
			cases := []struct {
				key  string
				want Validity
			}{
				{key.Secret, Valid},
				{"bm90LWEta2V5", Rejected},
				{"", Rejected},
				{"two words", Rejected},
			}
			for _, k := range cases {
				if v, err := c.Verify(t.Context(), k.key); v != k.want || err != nil {
					t.Errorf("Verify = %v, %v, want %v", v, err, k.want)
				}
			}
			srv.Revoke(key.Secret)
			if v, err := c.Verify(t.Context(), key.Secret); v != Rejected || err != nil {
				t.Errorf("Verify(revoked) = %v, %v, want rejected", v, err)
			}
			reqs := srv.Requests()
			last := reqs[len(reqs)-1]
			if last.Path != tt.path || last.Header.Get("Authorization") != "Bearer "+key.Secret {
				t.Errorf("last request %s with auth %v, want %s with the Bearer key", last.Path, last.Header.Get("Authorization") != "", tt.path)
			}
			if last.Path == "/v1/spaces" && last.RawQuery != "limit=1" {
				t.Errorf("spaces query = %q, want limit=1", last.RawQuery)
			}
		})
	}
}

func TestVerifyOtherAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		want   Validity
		err    error
	}{
		{"forbidden scoped key", http.StatusForbidden, Rejected, nil},
		{"server error", http.StatusInternalServerError, Unreachable, ErrUnexpectedResponse},
		{"rate limited", http.StatusTooManyRequests, Unreachable, ErrBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url := newHandlerServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				w.Write([]byte(`{"object":"error","message":"nope"}`))
			})
			c, err := NewClient(url)
			if err != nil {
				t.Fatal(err)
			}
			v, err := c.Verify(t.Context(), "a-key")
			if v != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Errorf("Verify = %v, %v, want %v, %v", v, err, tt.want, tt.err)
			}
		})
	}
}

// TestCheckScopedKey: a key granted some spaces or read-only is valid, and
// Check says it works only on /v2, from whoami's grant or from the 403 a
// /v1 route gives it.
func TestCheckScopedKey(t *testing.T) {
	t.Parallel()
	narrow := &fakeanytype.Grant{SpaceIDs: []string{"a"}, Permission: "read"}
	for _, whoami := range []bool{true, false} {
		c, srv := setup(t, fakeanytype.Config{Whoami: whoami, Grant: narrow})
		ch, err := c.CreateChallenge(t.Context(), "n")
		if err != nil {
			t.Fatal(err)
		}
		key, err := c.CreateAPIKey(t.Context(), ch, codeFor(t, srv, false))
		if err != nil {
			t.Fatal(err)
		}
		if !V2Only(key.Grant) {
			t.Errorf("the key response's grant %+v is not /v2-only", key.Grant)
		}
		res, err := c.Check(t.Context(), key.Secret)
		if err != nil || res.Validity != Valid {
			t.Fatalf("whoami %v: Check = %+v, %v; want valid", whoami, res, err)
		}
		if whoami && !V2Only(res.Grant) || !whoami && !res.V1Refused {
			t.Errorf("whoami %v: Check = %+v; want it to say /v2 only", whoami, res)
		}
	}
	if V2Only(nil) || V2Only(&Grant{AllSpaces: true, Permission: "readwrite"}) || V2Only(&Grant{AllSpaces: true}) {
		t.Error("V2Only of a full or unknown grant")
	}
}

// TestCreateChallengeRequestOpen: a 429 on creation is ErrRequestOpen, not
// a generic bad request, and is not retried.
func TestCreateChallengeRequestOpen(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, fakeanytype.Config{OpenRequest429: true})
	if _, err := c.CreateChallenge(t.Context(), "first"); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateChallenge(t.Context(), "second")
	if !errors.Is(err, ErrRequestOpen) || errors.Is(err, ErrBadRequest) {
		t.Errorf("second create = %v, want ErrRequestOpen", err)
	}
	if n := srv.Challenges(); n != 1 {
		t.Errorf("challenges = %d, want 1 (no retry)", n)
	}
}
