package auth

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

const testUA = "anykey/test"

// setup starts a fake server and a client for it.
func setup(t *testing.T, cfg fakeanytype.Config, opts ...Option) (*Client, *fakeanytype.Server) {
	t.Helper()
	srv := fakeanytype.Start(t, cfg)
	c, err := NewClient(srv.URL(), append([]Option{WithUserAgent(testUA)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

// codeFor waits for the code of the challenge the client just created,
// approving it first where the server needs that.
func codeFor(t *testing.T, srv *fakeanytype.Server, needsApproval bool) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	id, code, err := srv.WaitChallenge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if needsApproval {
		if code != "" {
			t.Fatalf("code %q exists before approval", code)
		}
		code = srv.Approve(id)
	}
	return code
}

// wrongCode returns a well-formed code that is not code.
func wrongCode(code string) string {
	if code == "0000" {
		return "0001"
	}
	return "0000"
}

var generations = []struct {
	name    string
	cfg     fakeanytype.Config
	gen     Generation
	version string
	paths   []string // the requests of probe, create, solve, verify
}{
	{"2025-11-08", fakeanytype.Config{}, GenCurrent, "2025-11-08",
		[]string{"POST /v1/auth/challenges", "POST /v1/auth/challenges", "POST /v1/auth/api_keys", "GET /v2/auth/whoami", "GET /v1/spaces"}},
	{"2025-05-20", fakeanytype.Config{Version: "2025-05-20"}, GenCurrent, "2025-05-20",
		[]string{"POST /v1/auth/challenges", "POST /v1/auth/challenges", "POST /v1/auth/api_keys", "GET /v2/auth/whoami", "GET /v1/spaces"}},
	{"2025-04-22", fakeanytype.Config{Version: "2025-04-22"}, GenLegacy, "2025-04-22",
		[]string{"POST /v1/auth/challenges", "POST /v1/auth/display_code", "POST /v1/auth/token", "GET /v2/auth/whoami", "GET /v1/spaces"}},
	{"2025-03-17", fakeanytype.Config{Version: "2025-03-17"}, GenOldest, "2025-03-17",
		[]string{"POST /v1/auth/challenges", "POST /v1/auth/display_code", "POST /v1/auth/token", "GET /v2/auth/whoami", "GET /v1/spaces"}},
	{"heart 0.39 (no header)", fakeanytype.Config{Oldest: true}, GenOldest, "",
		[]string{"POST /v1/auth/challenges", "POST /v1/auth/display_code", "POST /v1/auth/display_code", "POST /v1/auth/token", "GET /v2/auth/whoami", "GET /v1/spaces"}},
	{"newer heart (approval, prefixed keys, whoami)", fakeanytype.Config{NeedsApproval: true, PrefixedKeys: true, Whoami: true}, GenCurrent, "2025-11-08",
		[]string{"POST /v1/auth/challenges", "POST /v1/auth/challenges", "POST /v1/auth/api_keys", "GET /v2/auth/whoami"}},
}

func TestPairEveryGeneration(t *testing.T) {
	t.Parallel()
	for _, tt := range generations {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t, tt.cfg)
			got, err := c.Probe(t.Context())
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			if got.Generation != tt.gen || got.APIVersion != tt.version {
				t.Fatalf("Probe = %+v, want %v %q", got, tt.gen, tt.version)
			}
			if n := srv.Challenges(); n != 0 {
				t.Fatalf("Probe created %d challenges", n)
			}
			ch, err := c.CreateChallenge(t.Context(), "work laptop")
			if err != nil {
				t.Fatalf("CreateChallenge: %v", err)
			}
			if ch.Server != got {
				t.Errorf("challenge server = %+v, want %+v", ch.Server, got)
			}
			code := codeFor(t, srv, tt.cfg.NeedsApproval)
			key, err := c.CreateAPIKey(t.Context(), ch, code)
			if err != nil {
				t.Fatalf("CreateAPIKey: %v", err)
			}
			minted := srv.Keys()
			if len(minted) != 1 || key.Secret != minted[0] {
				t.Fatalf("key is not the one the server minted (%d minted)", len(minted))
			}
			if key.APIVersion != tt.version {
				t.Errorf("key APIVersion = %q, want %q", key.APIVersion, tt.version)
			}
			if (key.Grant != nil) != tt.cfg.PrefixedKeys {
				t.Errorf("grant = %+v, want one only with prefixed keys", key.Grant)
			}
			if tt.cfg.PrefixedKeys && !strings.HasPrefix(key.Secret, "anytype_") {
				t.Errorf("prefixed key has the wrong shape")
			}
			if v, err := c.Verify(t.Context(), key.Secret); v != Valid || err != nil {
				t.Errorf("Verify(minted) = %v, %v", v, err)
			}
			if n := srv.Challenges(); n != 1 {
				t.Errorf("server saw %d challenges, want 1", n)
			}
			var paths []string
			for _, r := range srv.Requests() {
				paths = append(paths, r.Method+" "+r.Path)
			}
			// CreateChallenge reuses the probe's result: no second probe.
			want := tt.paths
			if strings.Join(paths, "|") != strings.Join(want, "|") {
				t.Errorf("requests =\n%v\nwant\n%v", paths, want)
			}
		})
	}
}

func TestHeadersAndBodies(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, fakeanytype.Config{})
	ch, err := c.CreateChallenge(t.Context(), "héllo")
	if err != nil {
		t.Fatal(err)
	}
	code := codeFor(t, srv, false)
	if _, err := c.CreateAPIKey(t.Context(), ch, " "+code+"\n"); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("got %d requests, want probe, create, solve", len(reqs))
	}
	for _, r := range reqs {
		for h, want := range map[string]string{"Anytype-Version": APIVersion, "User-Agent": testUA, "Accept": "application/json", "Content-Type": "application/json"} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s %s: %s = %q, want %q", r.Method, r.Path, h, got, want)
			}
		}
		if _, has := r.Header["Origin"]; has {
			t.Errorf("%s %s sent an Origin header", r.Method, r.Path)
		}
	}
	var probe, create map[string]any
	var solve map[string]json.RawMessage
	for body, v := range map[string]any{string(reqs[0].Body): &probe, string(reqs[1].Body): &create, string(reqs[2].Body): &solve} {
		if err := json.Unmarshal([]byte(body), v); err != nil {
			t.Fatalf("body %q: %v", body, err)
		}
	}
	if len(probe) != 0 {
		t.Errorf("probe body = %v, want {}", probe)
	}
	if create["app_name"] != "héllo" {
		t.Errorf("create body = %v", create)
	}
	if string(solve["code"]) != `"`+code+`"` {
		t.Errorf("code sent as %s, want the trimmed code as a JSON string", solve["code"])
	}
	if string(solve["challenge_id"]) != `"`+ch.ID+`"` {
		t.Errorf("challenge_id sent as %s, want %q", solve["challenge_id"], ch.ID)
	}
}

// TestTransitionStatus299 drives the old paths of a 2025-05-20 server, which
// answer HTTP 299: any 2xx is success.
func TestTransitionStatus299(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, fakeanytype.Config{Version: "2025-05-20"})
	c.setServer(Server{APIVersion: "2025-05-20", Generation: GenLegacy})
	ch, err := c.CreateChallenge(t.Context(), "old paths")
	if err != nil {
		t.Fatalf("CreateChallenge on the 299 path: %v", err)
	}
	key, err := c.CreateAPIKey(t.Context(), ch, codeFor(t, srv, false))
	if err != nil {
		t.Fatalf("CreateAPIKey on the 299 path: %v", err)
	}
	if key.Secret != srv.Keys()[0] {
		t.Error("wrong key")
	}
	for _, r := range srv.Requests() {
		if r.Path != "/v1/auth/display_code" && r.Path != "/v1/auth/token" {
			t.Errorf("unexpected request %s %s", r.Method, r.Path)
		}
	}
}

func TestRemovedPathsAre404(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, fakeanytype.Config{}) // 2025-11-08 has no old paths
	c.setServer(Server{APIVersion: "2025-04-22", Generation: GenLegacy})
	_, err := c.CreateChallenge(t.Context(), "stale")
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 404 || ae.Message != "404 page not found" || !errors.Is(err, ErrBadRequest) {
		t.Fatalf("CreateChallenge on a removed path = %v, want 404 ErrBadRequest", err)
	}
	if srv.Challenges() != 0 {
		t.Error("a challenge was created")
	}
	// The 404 made the client forget the schema: the next request probes.
	if _, err := c.CreateChallenge(t.Context(), "fresh"); err != nil {
		t.Fatalf("CreateChallenge after re-probe: %v", err)
	}
	_, err = c.CreateAPIKey(t.Context(), &Challenge{ID: "abc", Server: Server{Generation: GenLegacy}}, "1234")
	if !errors.As(err, &ae) || ae.StatusCode != 404 {
		t.Fatalf("CreateAPIKey on a removed path = %v, want 404", err)
	}
}

func TestChallengeCap(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, fakeanytype.Config{ChallengeCap: 2})
	for i := range 2 {
		if _, err := c.CreateChallenge(t.Context(), "n"); err != nil {
			t.Fatalf("create %d: %v", i+1, err)
		}
	}
	_, err := c.CreateChallenge(t.Context(), "n")
	var ae *APIError
	if !errors.Is(err, ErrChallengeRefused) || !errors.As(err, &ae) || ae.Message != "failed to create a new challenge" {
		t.Fatalf("third create = %v, want ErrChallengeRefused", err)
	}
	creates := 0
	for _, r := range srv.Requests() {
		if r.Path == "/v1/auth/challenges" && strings.Contains(string(r.Body), "app_name") {
			creates++
		}
	}
	if creates != 3 || srv.Challenges() != 2 {
		t.Errorf("create requests = %d (want 3, one per call, no retries), challenges = %d", creates, srv.Challenges())
	}
}

func TestCodeRejected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      fakeanytype.Config
		wrong    int  // wrong codes before the right one
		wantLast bool // whether the right code still works
	}{
		{"current, unlimited tries (the <= v0.47 bug)", fakeanytype.Config{}, 7, true},
		{"legacy, unlimited tries", fakeanytype.Config{Version: "2025-04-22"}, 3, true},
		{"oldest", fakeanytype.Config{Oldest: true}, 2, true},
		{"three tries", fakeanytype.Config{MaxTries: 3}, 3, false},
		{"newer heart: five tries", fakeanytype.Config{NeedsApproval: true}, 5, false},
		{"newer heart: four wrong then right", fakeanytype.Config{NeedsApproval: true}, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t, tt.cfg)
			ch, err := c.CreateChallenge(t.Context(), "n")
			if err != nil {
				t.Fatal(err)
			}
			code := codeFor(t, srv, tt.cfg.NeedsApproval)
			for i := range tt.wrong {
				if _, err := c.CreateAPIKey(t.Context(), ch, wrongCode(code)); !errors.Is(err, ErrCodeRejected) {
					t.Fatalf("wrong code %d: %v, want ErrCodeRejected", i+1, err)
				}
			}
			_, err = c.CreateAPIKey(t.Context(), ch, code)
			if tt.wantLast && err != nil {
				t.Fatalf("right code after %d wrong: %v", tt.wrong, err)
			}
			if !tt.wantLast && !errors.Is(err, ErrCodeRejected) {
				t.Fatalf("right code after the limit: %v, want ErrCodeRejected", err)
			}
			if tt.wantLast {
				if _, err := c.CreateAPIKey(t.Context(), ch, code); !errors.Is(err, ErrCodeRejected) {
					t.Errorf("reusing a solved challenge: %v, want ErrCodeRejected", err)
				}
			}
			unknown := &Challenge{ID: "0123456789abcdef01234567", Server: ch.Server}
			if _, err := c.CreateAPIKey(t.Context(), unknown, code); !errors.Is(err, ErrCodeRejected) {
				t.Errorf("unknown challenge: %v, want ErrCodeRejected", err)
			}
			if srv.Challenges() != 1 {
				t.Errorf("challenges = %d, want 1", srv.Challenges())
			}
		})
	}
}

func TestApproval(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, fakeanytype.Config{NeedsApproval: true})
	ch, err := c.CreateChallenge(t.Context(), "n")
	if err != nil {
		t.Fatal(err)
	}
	id, code, err := srv.WaitChallenge(t.Context())
	if err != nil || code != "" || id != ch.ID {
		t.Fatalf("WaitChallenge before approval = %q, %q, %v", id, code, err)
	}
	for _, guess := range []string{"0000", "1234"} {
		if _, err := c.CreateAPIKey(t.Context(), ch, guess); !errors.Is(err, ErrCodeRejected) {
			t.Fatalf("solve before approval = %v, want ErrCodeRejected", err)
		}
	}
	if _, err := c.CreateChallenge(t.Context(), "n"); !errors.Is(err, ErrChallengeRefused) {
		t.Fatalf("second create while a prompt is pending = %v, want ErrChallengeRefused", err)
	}
	code = srv.Approve(ch.ID)
	if _, err := c.CreateAPIKey(t.Context(), ch, code); err != nil {
		t.Fatalf("solve after approval: %v", err)
	}
}
