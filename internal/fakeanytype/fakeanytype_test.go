package fakeanytype

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

type answer struct {
	status  int
	header  http.Header
	body    string
	decoded map[string]any
}

func call(t *testing.T, s *Server, method, path, body string, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, body: string(b)}
	json.Unmarshal(b, &a.decoded)
	return a
}

// message returns the error message of any of the three error shapes.
func (a answer) message() string {
	if m, ok := a.decoded["message"].(string); ok {
		return m
	}
	switch e := a.decoded["error"].(type) {
	case string:
		return e
	case map[string]any:
		m, _ := e["message"].(string)
		return m
	}
	return ""
}

// TestDocumentedAnswers checks the fake against the tables of the notes on
// how real servers answer.
func TestDocumentedAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		cfg          Config
		method, path string
		body         string
		status       int
		msg          string // error message, or "" to skip
		textPlain    bool
	}{
		{"empty body", Config{}, "POST", "/v1/auth/challenges", "", 400, "EOF", false},
		{"truncated json", Config{}, "POST", "/v1/auth/challenges", "{", 400, "unexpected EOF", false},
		{"not json", Config{}, "POST", "/v1/auth/challenges", "nope", 400, "invalid character 'o' in literal null (expecting 'u')", false},
		{"app_name number", Config{}, "POST", "/v1/auth/challenges", `{"app_name":5}`, 400, "json: cannot unmarshal number into Go struct field CreateChallengeRequest.app_name of type string", false},
		{"probe body {}", Config{}, "POST", "/v1/auth/challenges", `{}`, 400, "missing app name", false},
		{"null body", Config{}, "POST", "/v1/auth/challenges", `null`, 400, "missing app name", false},
		{"empty app_name", Config{}, "POST", "/v1/auth/challenges", `{"app_name":""}`, 400, "missing app name", false},
		{"whitespace app_name accepted", Config{}, "POST", "/v1/auth/challenges", `{"app_name":"  "}`, 201, "", false},
		{"text/plain content type accepted", Config{}, "POST", "/v1/auth/challenges", `{"app_name":"x"}`, 201, "", false},
		{"code as number", Config{}, "POST", "/v1/auth/api_keys", `{"challenge_id":"x","code":1234}`, 400, "json: cannot unmarshal number into Go struct field CreateApiKeyRequest.code of type string", false},
		{"missing code", Config{}, "POST", "/v1/auth/api_keys", `{"challenge_id":"x"}`, 400, "bad input: challenge_id or code is empty", false},
		{"unknown challenge", Config{}, "POST", "/v1/auth/api_keys", `{"challenge_id":"x","code":"1234"}`, 500, "failed to authenticate user", false},
		{"GET on an auth route", Config{}, "GET", "/v1/auth/challenges", "", 404, "", true},
		{"OPTIONS", Config{}, "OPTIONS", "/v1/auth/challenges", "", 404, "", true},
		{"removed old path on 2025-11-08", Config{}, "POST", "/v1/auth/display_code?app_name=x", "", 404, "", true},
		{"old path on 2025-05-20 answers 299", Config{Version: "2025-05-20"}, "POST", "/v1/auth/display_code?app_name=x", "", 299, "", false},
		{"new path on 2025-04-22", Config{Version: "2025-04-22"}, "POST", "/v1/auth/challenges", "{}", 404, "", true},
		{"display_code without app_name", Config{Version: "2025-04-22"}, "POST", "/v1/auth/display_code", "", 400, "missing app name", false},
		{"display_code", Config{Version: "2025-04-22"}, "POST", "/v1/auth/display_code?app_name=x", "", 200, "", false},
		{"token without code", Config{Version: "2025-04-22"}, "POST", "/v1/auth/token?challenge_id=x", "", 400, "invalid input", false},
		{"token unknown", Config{Version: "2025-04-22"}, "POST", "/v1/auth/token?challenge_id=x&code=1234", "", 500, "failed to authenticate user", false},
		{"old error shape", Config{Version: "2025-03-17"}, "POST", "/v1/auth/token?challenge_id=x&code=1234", "", 500, "failed to authenticate user", false},
		{"oldest display_code probe", Config{Oldest: true}, "POST", "/v1/auth/display_code", "", 400, "missing app name", false},
		{"limit=0", Config{}, "GET", "/v1/spaces?limit=0", "", 400, "limit must be between 1 and 1000", false},
		{"limit=1001", Config{}, "GET", "/v1/spaces?limit=1001", "", 400, "limit must be between 1 and 1000", false},
		{"no authorization", Config{}, "GET", "/v1/spaces?limit=1", "", 401, "missing authorization header", false},
		{"no authorization on heart 0.39", Config{Oldest: true}, "GET", "/v1/spaces?limit=1", "", 401, "Missing Authorization header", false},
		{"whoami absent", Config{}, "GET", "/v2/auth/whoami", "", 404, "", true},
		{"whoami without key", Config{Whoami: true}, "GET", "/v2/auth/whoami", "", 401, "missing authorization header", false},
		{"v2 alias on newer heart", Config{NeedsApproval: true}, "POST", "/v2/auth/challenges", `{}`, 400, "missing app name", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Start(t, tt.cfg)
			a := call(t, s, tt.method, tt.path, tt.body, "Content-Type", "text/plain")
			if a.status != tt.status {
				t.Fatalf("status %d, want %d (body %q)", a.status, tt.status, a.body)
			}
			if tt.msg != "" && a.message() != tt.msg {
				t.Errorf("message %q, want %q (body %q)", a.message(), tt.msg, a.body)
			}
			if tt.textPlain && (a.header.Get("Content-Type") != "text/plain" || a.body != "404 page not found") {
				t.Errorf("404 = %q %q, want text/plain 404 page not found", a.header.Get("Content-Type"), a.body)
			}
			wantVersion := tt.cfg.Version
			if wantVersion == "" && !tt.cfg.Oldest {
				wantVersion = "2025-11-08"
			}
			if got, has := a.header["Anytype-Version"]; tt.cfg.Oldest && has || !tt.cfg.Oldest && (len(got) != 1 || got[0] != wantVersion) {
				t.Errorf("Anytype-Version = %q, want %q", got, wantVersion)
			}
			if tt.status >= 400 && !tt.textPlain {
				oldShape := tt.cfg.Oldest || tt.cfg.Version == "2025-03-17"
				if _, hasObject := a.decoded["object"]; hasObject == oldShape && !strings.HasPrefix(tt.msg, "limit") && !(tt.cfg.Oldest && tt.status == 401) {
					t.Errorf("error shape %q, old shape wanted: %v", a.body, oldShape)
				}
			}
			if tt.status == 201 || tt.status == 200 || tt.status == 299 {
				if id, _ := a.decoded["challenge_id"].(string); !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(id) {
					t.Errorf("challenge_id %q, want 24 hex", id)
				}
			}
		})
	}
}

func TestKeysAndSpaces(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     Config
		keyRE   string
		grant   bool
		session bool
	}{
		{"base64 keys", Config{}, `^[A-Za-z0-9+/]{43}=$`, false, false},
		{"prefixed keys", Config{PrefixedKeys: true, Whoami: true}, `^anytype_[A-Za-z0-9]{48}_[0-9a-f]{8}$`, true, false},
		{"2025-04-22 app_key", Config{Version: "2025-04-22"}, `^[A-Za-z0-9+/]{43}=$`, false, false},
		{"heart 0.39 session token", Config{Oldest: true}, `^[A-Za-z0-9+/]{43}=$`, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Start(t, tt.cfg)
			old := tt.cfg.Oldest || tt.cfg.Version == "2025-04-22"
			var a answer
			if old {
				a = call(t, s, "POST", "/v1/auth/display_code?app_name=n", "")
			} else {
				a = call(t, s, "POST", "/v1/auth/challenges", `{"app_name":"n"}`)
			}
			id, code, err := s.WaitChallenge(t.Context())
			if err != nil || id != a.decoded["challenge_id"] || !regexp.MustCompile(`^\d{4}$`).MatchString(code) {
				t.Fatalf("WaitChallenge = %q, %q, %v", id, code, err)
			}
			field := "api_key"
			if old {
				a = call(t, s, "POST", "/v1/auth/token?challenge_id="+id+"&code="+code, "")
				field = "app_key"
			} else {
				a = call(t, s, "POST", "/v1/auth/api_keys", `{"challenge_id":"`+id+`","code":"`+code+`"}`)
			}
			key, _ := a.decoded[field].(string)
			if !regexp.MustCompile(tt.keyRE).MatchString(key) || len(s.Keys()) != 1 || s.Keys()[0] != key {
				t.Fatalf("minted %q (%s), Keys() = %d", key, a.body, len(s.Keys()))
			}
			if _, has := a.decoded["grant"]; has != tt.grant {
				t.Errorf("grant present = %v, want %v", has, tt.grant)
			}
			if _, has := a.decoded["session_token"]; has != tt.session {
				t.Errorf("session_token present = %v, want %v", has, tt.session)
			}
			for _, hdr := range []struct {
				auth   string
				status int
			}{{"Bearer " + key, 200}, {"bearer " + key, 401}, {"Bearer nope", 401}} {
				if a := call(t, s, "GET", "/v1/spaces?limit=1", "", "Authorization", hdr.auth); a.status != hdr.status {
					t.Errorf("spaces with %q... = %d, want %d", hdr.auth[:7], a.status, hdr.status)
				}
			}
			s.Revoke(key)
			if a := call(t, s, "GET", "/v1/spaces?limit=1", "", "Authorization", "Bearer "+key); a.status != 401 {
				t.Errorf("revoked key: %d, want 401", a.status)
			}
		})
	}
}

func TestCapAndTries(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{ChallengeCap: 3, MaxTries: 2})
	for i := range 4 {
		a := call(t, s, "POST", "/v1/auth/challenges", `{"app_name":"n"}`)
		want := 201
		if i == 3 {
			want = 500
		}
		if a.status != want {
			t.Fatalf("create %d = %d, want %d", i+1, a.status, want)
		}
	}
	if s.Challenges() != 3 {
		t.Errorf("Challenges() = %d, want 3", s.Challenges())
	}
	id, code, _ := s.WaitChallenge(t.Context())
	wrong := "0000"
	if code == wrong {
		wrong = "0001"
	}
	for _, c := range []string{wrong, wrong, code} {
		if a := call(t, s, "POST", "/v1/auth/api_keys", `{"challenge_id":"`+id+`","code":"`+c+`"}`); a.status != 500 {
			t.Errorf("after 2 wrong codes the challenge is gone; got %d", a.status)
		}
	}
	// Leading zeros and exact match: " 1234" is not "1234".
	id, code, _ = s.WaitChallenge(t.Context())
	if a := call(t, s, "POST", "/v1/auth/api_keys", `{"challenge_id":"`+id+`","code":" `+code+`"}`); a.status != 500 {
		t.Errorf("untrimmed code accepted: %d", a.status)
	}
	if a := call(t, s, "POST", "/v1/auth/api_keys", `{"challenge_id":"`+id+`","code":"`+code+`"}`); a.status != 201 {
		t.Errorf("right code: %d", a.status)
	}
}

func TestApprovalFlow(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{NeedsApproval: true, Whoami: true})
	create := func(hdr ...string) answer {
		return call(t, s, "POST", "/v1/auth/challenges", `{"app_name":"n"}`, hdr...)
	}
	if a := create(); a.status != 201 {
		t.Fatalf("create = %d", a.status)
	}
	if a := create(); a.status != 500 {
		t.Errorf("second pending prompt for the same caller = %d, want 500", a.status)
	}
	if a := create("Origin", "http://localhost:3000"); a.status != 201 {
		t.Errorf("another caller = %d, want 201", a.status)
	}
	if a := create("Origin", "https://evil.example"); a.status != 403 || a.message() != "request origin is not allowed" {
		t.Errorf("foreign origin = %d %q, want 403", a.status, a.body)
	}
	id, code, err := s.WaitChallenge(t.Context())
	if err != nil || code != "" {
		t.Fatalf("WaitChallenge before approval = %q, %v", code, err)
	}
	if a := call(t, s, "POST", "/v1/auth/api_keys", `{"challenge_id":"`+id+`","code":"0000"}`); a.status != 500 {
		t.Errorf("solve before approval = %d, want 500", a.status)
	}
	code = s.Approve(id)
	if again := s.Approve(id); again != code || len(code) != 4 {
		t.Errorf("Approve = %q then %q", code, again)
	}
	// A repeat request from the same caller replaces the approved challenge.
	if a := create(); a.status != 201 {
		t.Fatalf("create after approval = %d", a.status)
	}
	if a := call(t, s, "POST", "/v1/auth/api_keys", `{"challenge_id":"`+id+`","code":"`+code+`"}`); a.status != 500 {
		t.Errorf("replaced challenge still solvable: %d", a.status)
	}
}

func TestApproveAfterAndGlobalLock(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{NeedsApproval: true, ApproveAfter: 10 * time.Millisecond, MaxTries: 100})
	a := call(t, s, "POST", "/v1/auth/challenges", `{"app_name":"n"}`)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	id, code, err := s.WaitChallenge(ctx)
	if err != nil || id != a.decoded["challenge_id"] || len(code) != 4 {
		t.Fatalf("WaitChallenge with ApproveAfter = %q, %q, %v", id, code, err)
	}
	wrong := "0000"
	if code == wrong {
		wrong = "0001"
	}
	for range globalWrongLock {
		call(t, s, "POST", "/v1/auth/api_keys", `{"challenge_id":"`+id+`","code":"`+wrong+`"}`)
	}
	if a := call(t, s, "POST", "/v1/auth/challenges", `{"app_name":"n"}`, "Origin", "http://127.0.0.1:1"); a.status != 500 {
		t.Errorf("create after 20 wrong codes = %d, want 500 (locked)", a.status)
	}
	if a := call(t, s, "POST", "/v1/auth/api_keys", `{"challenge_id":"`+id+`","code":"`+code+`"}`); a.status != 201 {
		t.Errorf("right code = %d", a.status)
	}
	if a := call(t, s, "POST", "/v1/auth/challenges", `{"app_name":"n"}`, "Origin", "http://127.0.0.1:1"); a.status != 201 {
		t.Errorf("create after a right code = %d, want 201 (lock reset)", a.status)
	}
}

func TestWaitChallengeHonoursContext(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if _, _, err := s.WaitChallenge(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitChallenge with no challenge = %v", err)
	}
}

func TestFaultsAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault  Fault
		status int
		check  func(answer) bool
	}{
		{FaultHTML502, 502, func(a answer) bool { return strings.HasPrefix(a.header.Get("Content-Type"), "text/html") }},
		{FaultGarbageJSON, 201, func(a answer) bool { return a.decoded == nil }},
		{FaultHugeBody, 201, func(a answer) bool { return len(a.body) > hugeBodySize }},
		{Fault500Create, 500, func(a answer) bool { return a.message() == "failed to create a new challenge" }},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			t.Parallel()
			s := Start(t, Config{})
			s.Fault(tt.fault)
			a := call(t, s, "POST", "/v1/auth/challenges", `{"app_name":"n"}`)
			if a.status != tt.status || !tt.check(a) {
				t.Errorf("status %d, body %.100q", a.status, a.body)
			}
		})
	}
	t.Run("reset mid body", func(t *testing.T) {
		t.Parallel()
		s := Start(t, Config{})
		s.Fault(FaultResetMidBody)
		resp, err := http.Post(s.URL()+"/v1/auth/challenges", "application/json", strings.NewReader("{}"))
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		if err == nil {
			t.Error("read the whole body of a reset connection")
		}
	})
}
