package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"strings"
)

// maxIDLen and maxKeyLen bound what the client accepts as a challenge id or
// key. Real ids are 24 hex characters and keys 44 (base64) or about 70
// (anytype_…) characters; keys are otherwise opaque, so leave room.
const (
	maxIDLen  = 256
	maxKeyLen = 4096
)

// Decoding failures. Their text never includes the body, which may hold a key.
var (
	errNotJSON      = errors.New("not a json object")
	errMissingField = errors.New("missing or malformed field")
)

// isJSON reports whether a Content-Type allows a JSON body. An absent type
// is allowed; the body must still parse.
func isJSON(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

func isPlainText(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "text/plain"
}

// decodeObject unmarshals a whole body that must be one JSON object.
func decodeObject(body []byte, v any) error {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || b[0] != '{' {
		return errNotJSON
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errNotJSON
	}
	return nil
}

// decodeChallenge reads {"challenge_id":"…"} (every generation).
func decodeChallenge(body []byte) (string, error) {
	var v struct {
		ChallengeID *string `json:"challenge_id"`
	}
	if err := decodeObject(body, &v); err != nil {
		return "", err
	}
	if v.ChallengeID == nil || !validToken(*v.ChallengeID, maxIDLen) {
		return "", errMissingField
	}
	return *v.ChallengeID, nil
}

// keyResponse is what a solve answers, across generations.
type keyResponse struct {
	Secret string
	Grant  *Grant
}

// decodeKey reads {"api_key", "grant"?} (2025-05-20 and later), {"app_key"}
// (2025-04-22) or {"session_token","app_key"} (older).
func decodeKey(body []byte) (keyResponse, error) {
	var v struct {
		APIKey *string          `json:"api_key"`
		AppKey *string          `json:"app_key"`
		Grant  *json.RawMessage `json:"grant"`
	}
	// A wrongly typed grant must not lose a key the server already minted,
	// so the grant is decoded separately and leniently.
	if err := decodeObject(body, &v); err != nil {
		return keyResponse{}, err
	}
	secret := v.APIKey
	if secret == nil || *secret == "" {
		secret = v.AppKey
	}
	if secret == nil || !validToken(*secret, maxKeyLen) {
		return keyResponse{}, errMissingField
	}
	kr := keyResponse{Secret: *secret}
	if v.Grant != nil {
		var g Grant
		if json.Unmarshal(*v.Grant, &g) == nil && string(bytes.TrimSpace(*v.Grant)) != "null" {
			kr.Grant = &g
		}
	}
	return kr, nil
}

// decodeError reads the error bodies of every generation:
// {"object":"error","status","code","message"} (>= 0.40.20),
// {"error":{"message"}} (older) and {"error":"…"} (auth middleware, pagination).
func decodeError(body []byte) (code, message string, ok bool) {
	var v struct {
		Code    json.RawMessage `json:"code"`
		Message json.RawMessage `json:"message"`
		Error   json.RawMessage `json:"error"`
	}
	if decodeObject(body, &v) != nil {
		return "", "", false
	}
	code = jsonString(v.Code)
	message = jsonString(v.Message)
	if message == "" && len(v.Error) > 0 {
		message = jsonString(v.Error)
		if message == "" {
			var inner struct {
				Message json.RawMessage `json:"message"`
			}
			if decodeObject(v.Error, &inner) == nil {
				message = jsonString(inner.Message)
			}
		}
	}
	return code, message, code != "" || message != ""
}

// jsonString returns raw as a string if it is a JSON string, else "".
func jsonString(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// validToken accepts 1..max visible ASCII characters: what can go into a URL
// query, a header and an environment variable unchanged.
func validToken(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// encodeJSON marshals a request body.
func encodeJSON(v any) ([]byte, error) { return json.Marshal(v) }
