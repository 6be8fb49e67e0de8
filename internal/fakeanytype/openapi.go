package fakeanytype

import "net/http"

// openAPI serves GET /docs/openapi.json, which real Anytype serves without
// a key and anytype-mcp fetches at startup (it exits when it cannot). The
// document is a small OpenAPI 3 description of the routes the fake serves
// with a key, enough for a stand-in that behaves like anytype-mcp.
func (s *Server) openAPI(w http.ResponseWriter) {
	doc := map[string]any{
		"openapi": "3.0.1",
		"info":    map[string]any{"title": "Anytype API (fake)", "version": s.cfg.Version},
		"servers": []any{map[string]any{"url": s.url}},
		"paths": map[string]any{
			"/v1/spaces": map[string]any{"get": map[string]any{
				"operationId": "list_spaces",
				"summary":     "List spaces",
				"security":    []any{map[string]any{"bearerauth": []any{}}},
				"responses":   map[string]any{"200": map[string]any{"description": "the spaces"}, "401": map[string]any{"description": "unauthorized"}},
			}},
		},
		"components": map[string]any{"securitySchemes": map[string]any{
			"bearerauth": map[string]any{"type": "http", "scheme": "bearer"},
		}},
	}
	writeJSON(w, http.StatusOK, doc)
}
