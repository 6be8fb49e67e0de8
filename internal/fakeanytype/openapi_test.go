package fakeanytype

import (
	"encoding/json"
	"testing"
)

// TestOpenAPIDocument: served without a key, it names the server's own URL
// first, as anytype-mcp reads servers[0].url for its base URL.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{})
	a := call(t, s, "GET", "/docs/openapi.json", "")
	if a.status != 200 {
		t.Fatalf("status %d", a.status)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Paths map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(a.body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI == "" || len(doc.Servers) == 0 || doc.Servers[0].URL != s.URL() || doc.Paths["/v1/spaces"] == nil {
		t.Fatalf("unexpected document: %s", a.body)
	}
}
