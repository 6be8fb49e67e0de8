package fakeanytype

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func post(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

func get(t *testing.T, url, key string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.NewDecoder(bytes.NewReader(b)).Decode(&m)
	return resp.StatusCode, m
}

// pairOnce creates one challenge and solves it, returning the key response.
func pairOnce(t *testing.T, s *Server) map[string]any {
	t.Helper()
	st, m := post(t, s.URL()+"/v1/auth/challenges", `{"app_name":"t"}`)
	if st != http.StatusCreated {
		t.Fatalf("create: %d %v", st, m)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	id, code, err := s.WaitChallenge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, m = post(t, s.URL()+"/v1/auth/api_keys", `{"challenge_id":"`+id+`","code":"`+code+`"}`)
	if st != http.StatusCreated {
		t.Fatalf("solve: %d %v", st, m)
	}
	return m
}

func TestScopedGrant(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{Whoami: true, Grant: &Grant{SpaceIDs: []string{"bafy1", "bafy2"}, Permission: "read"}})
	m := pairOnce(t, s)
	g, _ := m["grant"].(map[string]any)
	if g == nil || g["all_spaces"] != false || g["permission"] != "read" {
		t.Fatalf("key response grant = %v", m["grant"])
	}
	key := m["api_key"].(string)
	st, w := get(t, s.URL()+"/v2/auth/whoami", key)
	if st != http.StatusOK || w["key_status"] != "scoped" || w["grant"] == nil {
		t.Errorf("whoami = %d %v", st, w)
	}
	st, e := get(t, s.URL()+"/v1/spaces?limit=1", key)
	if st != http.StatusForbidden || e["code"] != "v1_not_available_for_scoped_keys" {
		t.Errorf("/v1/spaces with a scoped key = %d %v", st, e)
	}
}

func TestFullGrantWorksOnV1(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{Whoami: true, Grant: &Grant{AllSpaces: true, Permission: "readwrite"}})
	key := pairOnce(t, s)["api_key"].(string)
	if st, _ := get(t, s.URL()+"/v1/spaces?limit=1", key); st != http.StatusOK {
		t.Errorf("/v1/spaces with an all-spaces read-write key = %d", st)
	}
}

func TestOpenRequest429(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{OpenRequest429: true})
	if st, _ := post(t, s.URL()+"/v1/auth/challenges", `{"app_name":"a"}`); st != http.StatusCreated {
		t.Fatalf("first create: %d", st)
	}
	st, m := post(t, s.URL()+"/v1/auth/challenges", `{"app_name":"b"}`)
	if st != http.StatusTooManyRequests || m["code"] != "rate_limit_exceeded" {
		t.Errorf("second create while one is open = %d %v", st, m)
	}
	if s.Challenges() != 1 {
		t.Errorf("challenges = %d, want 1", s.Challenges())
	}
}
