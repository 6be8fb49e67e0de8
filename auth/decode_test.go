package auth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestDecodeError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, code, msg string
		ok                    bool
	}{
		{"new shape", `{"object":"error","status":500,"code":"internal_server_error","message":"failed to authenticate user"}`, "internal_server_error", "failed to authenticate user", true},
		{"old shape", `{"error":{"message":"failed to authenticate user"}}`, "", "failed to authenticate user", true},
		{"middleware string", `{"error":"limit must be between 1 and 1000"}`, "", "limit must be between 1 and 1000", true},
		{"text 404", "404 page not found", "", "", false},
		{"html", "<html>502</html>", "", "", false},
		{"array", `[{"message":"x"}]`, "", "", false},
		{"number message", `{"message":5}`, "", "", false},
		{"empty object", `{}`, "", "", false},
		{"trailing garbage", `{"message":"x"} {`, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, msg, ok := decodeError([]byte(tt.body))
			if code != tt.code || msg != tt.msg || ok != tt.ok {
				t.Errorf("= %q, %q, %v, want %q, %q, %v", code, msg, ok, tt.code, tt.msg, tt.ok)
			}
		})
	}
}

func TestDecodeKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, secret string
		grant              bool
	}{
		{"current", `{"api_key":"zhSG/zQRmgAD+abc="}`, "zhSG/zQRmgAD+abc=", false},
		{"newer with grant", `{"api_key":"anytype_abc_0123abcd","grant":{"all_spaces":false,"space_ids":["s1"],"permission":"read"}}`, "anytype_abc_0123abcd", true},
		{"newer with null grant", `{"api_key":"k","grant":null}`, "k", false},
		{"malformed grant keeps the key", `{"api_key":"k","grant":"all"}`, "k", false},
		{"2025-04-22", `{"app_key":"k2"}`, "k2", false},
		{"oldest", `{"session_token":"eyJ.x.y","app_key":"k3"}`, "k3", false},
		{"missing", `{"session_token":"eyJ.x.y"}`, "", false},
		{"empty", `{"api_key":""}`, "", false},
		{"number", `{"api_key":12}`, "", false},
		{"newline in key", `{"api_key":"a\nb"}`, "", false},
		{"html", `<html>`, "", false},
		{"too long", `{"api_key":"` + strings.Repeat("k", maxKeyLen+1) + `"}`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kr, err := decodeKey([]byte(tt.body))
			if tt.secret == "" {
				if err == nil {
					t.Fatalf("accepted: %q", kr.Secret)
				}
				if strings.Contains(err.Error(), "api_key") && strings.Contains(tt.body, "a\nb") {
					t.Errorf("error %q shows the body", err)
				}
				return
			}
			if err != nil || kr.Secret != tt.secret || (kr.Grant != nil) != tt.grant {
				t.Errorf("= %+v, %v, want %q (grant %v)", kr, err, tt.secret, tt.grant)
			}
		})
	}
}

func TestDecodeChallenge(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		`{"challenge_id":"67a1b2c3d4e5f60718293a4b"}`: "67a1b2c3d4e5f60718293a4b",
		`{"challenge_id":""}`:                         "",
		`{"challenge_id":null}`:                       "",
		`{"challenge_id":"a b"}`:                      "",
		`{"id":"x"}`:                                  "",
		`null`:                                        "",
		``:                                            "",
	} {
		got, err := decodeChallenge([]byte(body))
		if got != want || (err == nil) != (want != "") {
			t.Errorf("decodeChallenge(%q) = %q, %v, want %q", body, got, err, want)
		}
	}
}

func TestKeyNeverPrintsSecret(t *testing.T) {
	t.Parallel()
	k := Key{Secret: secretKey, Grant: &Grant{AllSpaces: true}, APIVersion: "2025-11-08"}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("saved", "key", k, "ptr", &k)
	j, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{"slog": logs.String(), "json": string(j)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10.3v"} {
		outputs[verb] = fmt.Sprintf(verb, k)
		outputs[verb+" pointer"] = fmt.Sprintf(verb, &k)
		outputs[verb+" in a struct"] = fmt.Sprintf(verb, struct{ K Key }{k})
	}
	outputs["Sprint"] = fmt.Sprint(k, []Key{k})
	for name, out := range outputs {
		if strings.Contains(out, secretKey) || strings.Contains(out, fmt.Sprintf("%x", secretKey)) {
			t.Errorf("%s shows the secret: %s", name, out)
		}
	}
	if !strings.Contains(outputs["%v"], "2025-11-08") {
		t.Errorf("%%v = %s, want the non-secret fields", outputs["%v"])
	}
}

func TestSanitize(t *testing.T) {
	t.Parallel()
	got := sanitize("bad code 4821\x1b[31m\nend "+strings.Repeat("x", 300), []string{"4821"})
	if strings.Contains(got, "4821") || strings.ContainsAny(got, "\x1b\n") || len([]rune(got)) > 201 {
		t.Errorf("sanitize = %q", got)
	}
}
