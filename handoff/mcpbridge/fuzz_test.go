package mcpbridge

import (
	"net/http"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/textsafe"
)

// FuzzRefusal: whatever Anytype (or what holds its port) answers, the
// message the client gets is one clean line without the key, and the
// realm parser never panics.
func FuzzRefusal(f *testing.F) {
	f.Add(401, []byte(`{"object":"error","status":401,"code":"unauthorized","message":"api key expired"}`), `Bearer realm="anytype", error="invalid_token"`)
	f.Add(403, []byte(`{"message":"key \"KEY\" has Limited scope\n\x1b[31m"}`), `Bearer error="insufficient_scope"`)
	f.Add(502, []byte("<html>Bad Gateway</html>"), "")
	f.Add(429, []byte(`{"error":"KEY`), `Bearer realm=anytype`)
	const key = "anytype_fuzzkeyfuzzkeyfuzzkeyfuzzkeyfuzzkeyfuzzkey_0123abcd"
	b := &bridge{cfg: Config{BaseURL: "http://127.0.0.1:31009", Tier: "large", Key: key, Name: "work"}, key: key}
	f.Fuzz(func(t *testing.T, status int, body []byte, challenge string) {
		body = []byte(strings.ReplaceAll(string(body), "KEY", key))
		anytypeRealm([]string{challenge})
		if status < 400 || status > 599 {
			status = 400 + (status%200+200)%200
		}
		e := b.httpRefusal(status, http.Header{"Www-Authenticate": {challenge}}, body)
		if strings.Contains(e.Message, key) {
			t.Fatalf("the key is in %q", e.Message)
		}
		if strings.ContainsAny(e.Message, "\n\r") || !textsafe.Clean(e.Message) {
			t.Fatalf("not one clean line: %q", e.Message)
		}
	})
}
