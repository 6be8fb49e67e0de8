package auth

import (
	"net/netip"
	"strings"
	"testing"
	"unicode"
)

// FuzzDecodeResponses feeds every response-shape decoder the same bytes:
// none may panic, and what they accept must be usable as is.
func FuzzDecodeResponses(f *testing.F) {
	for _, s := range []string{
		`{"challenge_id":"67a1b2c3d4e5f60718293a4b"}`,
		`{"api_key":"zhSG/zQRmgAD+abc=","grant":{"all_spaces":true,"space_ids":["a"],"permission":"readwrite"}}`,
		`{"session_token":"eyJ.x.y","app_key":"k"}`,
		`{"object":"error","status":500,"code":"internal_server_error","message":"failed to authenticate user"}`,
		`{"error":{"message":"invalid token"}}`,
		`{"error":"Missing Authorization header"}`,
		"404 page not found",
		"<html>\x00\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if id, err := decodeChallenge(body); err == nil && !validToken(id, maxIDLen) {
			t.Errorf("accepted challenge id %q", id)
		}
		if kr, err := decodeKey(body); err == nil && !validToken(kr.Secret, maxKeyLen) {
			t.Errorf("accepted key %q", kr.Secret)
		} else if err != nil && err != errNotJSON && err != errMissingField {
			t.Errorf("error %q is not one of the fixed texts (it could show the body)", err)
		}
		code, msg, ok := decodeError(body)
		if ok != (code != "" || msg != "") {
			t.Errorf("decodeError ok = %v with %q, %q", ok, code, msg)
		}
		clean := sanitize(msg, []string{"4821"})
		if strings.Contains(clean, "4821") || len([]rune(clean)) > 201 ||
			strings.IndexFunc(clean, unicode.IsControl) >= 0 {
			t.Errorf("sanitize(%q) = %q", msg, clean)
		}
	})
}

func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"1234", " 0420\n", "12a4", "１２３４", "", "12345", "12 34", "1-2-3-4", "12\u200b34"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeCode(s)
		if err != nil {
			if got != "" {
				t.Errorf("error with a result %q", got)
			}
			return
		}
		if len(got) != 4 || strings.Trim(got, "0123456789") != "" {
			t.Errorf("NormalizeCode(%q) = %q", s, got)
		}
		if again, err := NormalizeCode(got); err != nil || again != got {
			t.Errorf("not idempotent: %q -> %q, %v", got, again, err)
		}
	})
}

// FuzzParseBaseURL checks the one property that matters: whatever is
// accepted points at this machine, with nothing else in it.
func FuzzParseBaseURL(f *testing.F) {
	for _, s := range []string{
		"http://127.0.0.1:31009", "https://localhost", "http://[::1]:1/", "http://127.0.0.1.evil.com",
		"http://0x7f.1", "http://2130706433", "http://127.1", "http://127.0.0.1@evil.com",
		"http://evil.com#@127.0.0.1", "http://[::ffff:127.0.0.1]", "http://127.0.0.1%2f@evil",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseBaseURL(s)
		if err != nil {
			return
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Path != "" || u.Opaque != "" {
			t.Fatalf("accepted %q with extra parts: %#v", s, u)
		}
		if u.Scheme != "http" {
			t.Fatalf("accepted %q with scheme %q", s, u.Scheme)
		}
		host := u.Hostname()
		if host != "localhost" {
			a, err := netip.ParseAddr(host)
			if err != nil || !a.IsLoopback() || a.Is4In6() {
				t.Fatalf("accepted %q: host %q is not loopback", s, host)
			}
		}
		again, err := ParseBaseURL(u.String())
		if err != nil || again.String() != u.String() {
			t.Fatalf("result %q does not parse to itself: %v", u, err)
		}
	})
}

// FuzzCleanPastedKey: whatever is pasted, the result is empty or printable
// ASCII only, cleaning it again changes nothing, and a refusal never shows
// the input.
func FuzzCleanPastedKey(f *testing.F) {
	for _, s := range []string{"abc", "\ufeffabc\r\n", " a b ", "a\u200bb", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := CleanPastedKey(s)
		if err != nil {
			if got != "" {
				t.Errorf("error with a result %q", got)
			}
			if len(s) > 8 && strings.Contains(err.Error(), s) {
				t.Errorf("error shows the input: %v", err)
			}
			return
		}
		for i := 0; i < len(got); i++ {
			if got[i] < 0x21 || got[i] > 0x7e {
				t.Fatalf("CleanPastedKey(%q) = %q holds byte %#x", s, got, got[i])
			}
		}
		if again, err := CleanPastedKey(got); err != nil || again != got {
			t.Errorf("not idempotent: %q -> %q, %v", got, again, err)
		}
	})
}
