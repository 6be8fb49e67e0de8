package pairing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// countingClient records how often each call reaches the real client, so a
// test can prove that a malformed code never leaves the process and that
// only one challenge is ever created.
type countingClient struct {
	Client
	mu         sync.Mutex
	challenges []*auth.Challenge
	solves     []*auth.Challenge
}

func (c *countingClient) CreateChallenge(ctx context.Context, app string) (*auth.Challenge, error) {
	ch, err := c.Client.CreateChallenge(ctx, app)
	c.mu.Lock()
	c.challenges = append(c.challenges, ch)
	c.mu.Unlock()
	return ch, err
}

func (c *countingClient) CreateAPIKey(ctx context.Context, ch *auth.Challenge, code string) (*auth.Key, error) {
	c.mu.Lock()
	c.solves = append(c.solves, ch)
	c.mu.Unlock()
	return c.Client.CreateAPIKey(ctx, ch, code)
}

// answer tokens a scripted prompt understands; anything else is typed as is.
const (
	right   = "<right>"   // the code the fake server shows
	wrong   = "<wrong>"   // a well-formed code that is not the right one
	approve = "<approve>" // approve the challenge, then type the right code
	spaced  = "<spaced>"  // the right code with white space around it
	wide    = "<wide>"    // the right code in full-width digits
	cancel  = "<cancel>"  // the user cancels (Cancel, Esc, Ctrl-C)
)

type script struct {
	srv      *fakeanytype.Server
	id       string // the challenge, once the server has one
	answers  []string
	requests []Request
	typed    []string // every code typed, to check errors never echo one
}

func (s *script) prompt(ctx context.Context, r Request) (string, error) {
	s.requests = append(s.requests, r)
	if len(s.answers) == 0 {
		return "", errors.New("prompt called more often than scripted")
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	if a == cancel {
		return "", ErrCanceled
	}
	switch a {
	case right, wrong, approve, spaced, wide:
		if s.id == "" {
			// WaitChallenge hands out each challenge once: remember it.
			id, _, err := s.srv.WaitChallenge(ctx)
			if err != nil {
				return "", fmt.Errorf("waiting for the challenge: %w", err)
			}
			s.id = id
		}
		code, _ := s.srv.Code(s.id)
		if a == approve {
			code = s.srv.Approve(s.id)
		}
		if a == wrong {
			n, _ := strconv.Atoi(code)
			code = fmt.Sprintf("%04d", (n+1)%10000)
		}
		if a == spaced {
			code = " " + code[:2] + "-" + code[2:] + " \t"
		}
		if a == wide { // full-width digits, as an East Asian IME types them
			code = strings.Map(func(r rune) rune { return r - '0' + '０' }, code)
		}
		a = code
	}
	s.typed = append(s.typed, a)
	return a, nil
}

func newFlow(t *testing.T, cfg fakeanytype.Config, answers ...string) (*Flow, *script, *countingClient, *keystore.Memory) {
	t.Helper()
	srv := fakeanytype.Start(t, cfg)
	c, err := auth.NewClient(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	cc := &countingClient{Client: c}
	sc := &script{srv: srv, answers: answers}
	st := keystore.NewMemory()
	f := &Flow{Client: cc, Store: st, Prompt: sc.prompt}
	return f, sc, cc, st
}

func TestPair(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      fakeanytype.Config
		answers  []string
		wantErr  error
		retries  []string // Request.Retry per prompt
		solves   int      // requests that reached CreateAPIKey
		wantSave bool
	}{
		{name: "right code", answers: []string{right}, retries: []string{""}, solves: 1, wantSave: true},
		{name: "wrong then right on the same challenge", answers: []string{wrong, right},
			retries: []string{"", RetryRejected}, solves: 2, wantSave: true},
		{name: "malformed codes are checked locally", answers: []string{"12a4", "123", " 12345 ", right},
			retries: []string{"", RetryInvalid, RetryInvalid, RetryInvalid}, solves: 1, wantSave: true},
		{name: "spaces around the code are trimmed, a hyphen dropped", answers: []string{spaced},
			retries: []string{""}, solves: 1, wantSave: true},
		{name: "full-width digits", answers: []string{wide},
			retries: []string{""}, solves: 1, wantSave: true},
		{name: "five wrong codes; a malformed one is not a try", answers: []string{wrong, wrong, "abcd", wrong, wrong, wrong, right},
			retries: []string{"", RetryRejected, RetryRejected, RetryInvalid, RetryRejected, RetryRejected},
			solves:  5, wantErr: ErrTooManyTries},
		{name: "only malformed answers: bounded, nothing sent", answers: []string{"abcd", "12345", "12a4", "1", "x", right},
			retries: []string{"", RetryInvalid, RetryInvalid, RetryInvalid, RetryInvalid},
			solves:  0, wantErr: ErrTooManyInvalid},
		{name: "end of input after malformed answers", answers: []string{"abcd", cancel},
			retries: []string{"", RetryInvalid}, solves: 0, wantErr: ErrCanceled},
		{name: "cancel after a wrong code", answers: []string{wrong, cancel},
			retries: []string{"", RetryRejected}, solves: 1, wantErr: ErrCanceled},
		{name: "empty answer asks again", answers: []string{wrong, "", " \t", right},
			retries: []string{"", RetryRejected, RetryEmpty, RetryEmpty}, solves: 2, wantSave: true},
		{name: "only empty answers end", answers: []string{"", "", "", "", ""},
			retries: []string{"", RetryEmpty, RetryEmpty, RetryEmpty, RetryEmpty}, solves: 0, wantErr: ErrTooManyInvalid},
		{name: "five codes before approval are not called used up", cfg: fakeanytype.Config{NeedsApproval: true},
			answers: []string{"0000", "1111", "2222", "3333", "4444"},
			retries: []string{"", RetryRejected, RetryRejected, RetryRejected, RetryRejected}, solves: 5, wantErr: ErrTooManyTries},
		{name: "code typed before approval, then approved", cfg: fakeanytype.Config{NeedsApproval: true},
			answers: []string{"0000", approve}, retries: []string{"", RetryRejected}, solves: 2, wantSave: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, sc, cc, st := newFlow(t, tt.cfg, tt.answers...)
			fixed := time.Date(2026, 3, 4, 5, 6, 7, 891011, time.FixedZone("x", 3600))
			f.now = func() time.Time { return fixed }

			e, key, err := f.Pair(t.Context(), "work", false)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Pair error = %v, want %v", err, tt.wantErr)
			}
			if got := len(cc.challenges); got != 1 {
				t.Errorf("challenges created = %d, want exactly 1", got)
			}
			if got := sc.srv.Challenges(); got != 1 {
				t.Errorf("fake server saw %d challenges, want 1", got)
			}
			for i, ch := range cc.solves {
				if ch != cc.challenges[0] {
					t.Errorf("solve %d used another challenge", i+1)
				}
			}
			if len(cc.solves) != tt.solves {
				t.Errorf("solve requests = %d, want %d", len(cc.solves), tt.solves)
			}
			var gotRetries []string
			try := 1
			for i, r := range sc.requests {
				gotRetries = append(gotRetries, r.Retry)
				if i > 0 && r.Retry != RetryInvalid && r.Retry != RetryEmpty {
					try++ // the answer before this prompt went to Anytype
				}
				if r.Try != try || r.MaxTries != MaxTries || r.Name != "work" {
					t.Errorf("request %d = %+v, want try %d", i, r, try)
				}
			}
			if strings.Join(gotRetries, "|") != strings.Join(tt.retries, "|") {
				t.Errorf("retries = %q, want %q", gotRetries, tt.retries)
			}
			if err != nil {
				for _, c := range sc.typed {
					if c := strings.TrimSpace(c); c != "" && strings.Contains(err.Error(), c) {
						t.Errorf("error %q contains a typed code", err)
					}
				}
				if _, lerr := st.Lookup(t.Context(), "work"); !errors.Is(lerr, keystore.ErrNotFound) {
					t.Errorf("after a failed pairing Lookup = %v, want ErrNotFound", lerr)
				}
				return
			}
			minted := sc.srv.Keys()
			if len(minted) != 1 || key == nil || key.Secret != minted[0] {
				t.Fatalf("key = %v, server minted %d keys", key, len(minted))
			}
			secret, err := st.Get(t.Context(), "work")
			if err != nil || secret != minted[0] {
				t.Errorf("stored secret matches minted: %v (err %v)", secret == minted[0], err)
			}
			want := fixed.UTC().Truncate(time.Second)
			if e.Name != "work" || e.APIURL != cc.BaseURL() || !e.CreatedAt.Equal(want) || e.CreatedAt.Location() != time.UTC {
				t.Errorf("entry = %+v, want name work, url %s, created %v UTC", e, cc.BaseURL(), want)
			}
			if e.APIVersion != key.APIVersion {
				t.Errorf("entry api version %q, key says %q", e.APIVersion, key.APIVersion)
			}
			if got, _ := st.Lookup(t.Context(), "work"); got.APIURL != e.APIURL || !got.CreatedAt.Equal(e.CreatedAt) {
				t.Errorf("stored entry = %+v, returned %+v", got, e)
			}
		})
	}
}

func TestPairRefusesBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		key     string
		wantErr error
	}{
		{"existing name", "work", keystore.ErrExists},
		{"empty name", "", keystore.ErrInvalidName},
		{"slash in name", "a/b", keystore.ErrInvalidName},
		{"leading space", " work", keystore.ErrInvalidName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, sc, _, st := newFlow(t, fakeanytype.Config{}, right)
			if err := st.Set(t.Context(), keystore.Entry{Name: "work", APIURL: auth.DesktopURL}, "old-secret", false); err != nil {
				t.Fatal(err)
			}
			_, _, err := f.Pair(t.Context(), tt.key, false)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Pair error = %v, want %v", err, tt.wantErr)
			}
			if n := sc.srv.Challenges(); n != 0 {
				t.Errorf("server saw %d challenges, want 0", n)
			}
			if len(sc.requests) != 0 {
				t.Errorf("prompted %d times, want 0", len(sc.requests))
			}
		})
	}
}

func TestPairForceReplaces(t *testing.T) {
	t.Parallel()
	f, sc, _, st := newFlow(t, fakeanytype.Config{}, right)
	if err := st.Set(t.Context(), keystore.Entry{Name: "work", APIURL: auth.DesktopURL}, "old-secret", false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Pair(t.Context(), "work", true); err != nil {
		t.Fatal(err)
	}
	got, err := st.Get(t.Context(), "work")
	if err != nil || got == "old-secret" || got != sc.srv.Keys()[0] {
		t.Errorf("after --force the secret was not replaced by the minted key (err %v)", err)
	}
}

func TestPairSaveErrorKeepsKey(t *testing.T) {
	t.Parallel()
	f, sc, _, st := newFlow(t, fakeanytype.Config{}, right)
	st.FailSecrets(keystore.ErrUnavailable)
	_, _, err := f.Pair(t.Context(), "work", false)
	var se *SaveError
	if !errors.As(err, &se) {
		t.Fatalf("Pair error = %v, want *SaveError", err)
	}
	if !errors.Is(err, keystore.ErrUnavailable) {
		t.Errorf("SaveError does not unwrap to the store's error: %v", err)
	}
	minted := sc.srv.Keys()
	if len(minted) != 1 || se.Key == nil || se.Key.Secret != minted[0] {
		t.Fatalf("SaveError does not carry the minted key")
	}
	if strings.Contains(err.Error(), minted[0]) || strings.Contains(fmt.Sprint(se), minted[0]) {
		t.Errorf("error string contains the key")
	}
	st.FailSecrets(nil)
	if _, err := st.Lookup(t.Context(), "work"); !errors.Is(err, keystore.ErrNotFound) {
		t.Errorf("a half-saved entry stayed behind: Lookup = %v", err)
	}
}

// stubClient answers from fixed values, for errors the fake cannot produce
// on demand.
type stubClient struct {
	createErr, solveErr error
	challenges, solves  int
}

func (s *stubClient) BaseURL() string { return auth.DesktopURL }
func (s *stubClient) CreateChallenge(context.Context, string) (*auth.Challenge, error) {
	s.challenges++
	if s.createErr != nil {
		return nil, s.createErr
	}
	return &auth.Challenge{ID: "c1"}, nil
}
func (s *stubClient) CreateAPIKey(context.Context, *auth.Challenge, string) (*auth.Key, error) {
	s.solves++
	return nil, s.solveErr
}

func TestPairOtherErrorsEndTheFlow(t *testing.T) {
	t.Parallel()
	promptErr := errors.New("dialog crashed")
	tests := []struct {
		name        string
		client      *stubClient
		prompt      Prompt
		wantErr     error
		wantPrompts int
		wantSolves  int
	}{
		{name: "anytype not running", client: &stubClient{createErr: auth.ErrNotRunning}, wantErr: auth.ErrNotRunning},
		{name: "challenge refused", client: &stubClient{createErr: auth.ErrChallengeRefused}, wantErr: auth.ErrChallengeRefused},
		{name: "timeout while solving", client: &stubClient{solveErr: auth.ErrTimeout},
			wantErr: auth.ErrTimeout, wantPrompts: 1, wantSolves: 1},
		{name: "garbage answer while solving", client: &stubClient{solveErr: auth.ErrUnexpectedResponse},
			wantErr: auth.ErrUnexpectedResponse, wantPrompts: 1, wantSolves: 1},
		{name: "prompt cancelled", client: &stubClient{},
			prompt:  func(context.Context, Request) (string, error) { return "", ErrCanceled },
			wantErr: ErrCanceled, wantPrompts: 1},
		{name: "context cancelled in prompt", client: &stubClient{},
			prompt:  func(context.Context, Request) (string, error) { return "", context.Canceled },
			wantErr: ErrCanceled, wantPrompts: 1},
		{name: "prompt failed", client: &stubClient{},
			prompt:  func(context.Context, Request) (string, error) { return "", promptErr },
			wantErr: promptErr, wantPrompts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			prompts := 0
			p := tt.prompt
			if p == nil {
				p = func(context.Context, Request) (string, error) { return "1234", nil }
			}
			f := &Flow{Client: tt.client, Store: keystore.NewMemory(),
				Prompt: func(ctx context.Context, r Request) (string, error) { prompts++; return p(ctx, r) }}
			started := 0
			f.Started = func(*auth.Challenge) { started++ }
			_, _, err := f.Pair(t.Context(), "work", false)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Pair error = %v, want %v", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "1234") {
				t.Errorf("error %q contains the code", err)
			}
			if tt.client.challenges != 1 || prompts != tt.wantPrompts || tt.client.solves != tt.wantSolves {
				t.Errorf("challenges %d prompts %d solves %d; want 1, %d, %d",
					tt.client.challenges, prompts, tt.client.solves, tt.wantPrompts, tt.wantSolves)
			}
			wantStarted := 1
			if tt.client.createErr != nil {
				wantStarted = 0
			}
			if started != wantStarted {
				t.Errorf("Started called %d times, want %d", started, wantStarted)
			}
		})
	}
}

func TestPairStoresGrant(t *testing.T) {
	t.Parallel()
	f, _, _, _ := newFlow(t, fakeanytype.Config{PrefixedKeys: true}, right)
	e, key, err := f.Pair(t.Context(), "scoped", false)
	if err != nil {
		t.Fatal(err)
	}
	if key.Grant == nil {
		t.Fatal("the fake server with PrefixedKeys sends a grant; the key has none")
	}
	var g auth.Grant
	if err := json.Unmarshal(e.Grant, &g); err != nil {
		t.Fatalf("entry grant %s: %v", e.Grant, err)
	}
	if g.AllSpaces != key.Grant.AllSpaces || g.Permission != key.Grant.Permission {
		t.Errorf("entry grant = %+v, key grant = %+v", g, *key.Grant)
	}
}

// TestPairChecksKeychainFirst: a keychain that cannot save stops pairing
// before a challenge is spent, with the cause kept for the message.
func TestPairChecksKeychainFirst(t *testing.T) {
	t.Parallel()
	for _, cause := range []error{keystore.ErrNoSessionBus, keystore.ErrNoSecretService, keystore.ErrLocked} {
		f, sc, cc, st := newFlow(t, fakeanytype.Config{}, right)
		st.FailReady(cause)
		_, _, err := f.Pair(t.Context(), "work", false)
		if !errors.Is(err, cause) {
			t.Errorf("Pair = %v, want %v", err, cause)
		}
		if len(cc.challenges) != 0 || sc.srv.Challenges() != 0 || len(sc.requests) != 0 {
			t.Errorf("%v: a challenge was created or a code asked for", cause)
		}
	}
}
