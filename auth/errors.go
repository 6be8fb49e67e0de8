package auth

import "errors"

// Errors callers branch on with errors.Is. Error strings never contain a key
// or a code.
var (
	// ErrNotRunning: connection refused — Anytype is not running, nobody is
	// logged in, or the API is on another port.
	ErrNotRunning = errors.New("anytype is not reachable")
	// ErrChallengeRefused: 500 on create — cap reached, pairing locked, no account.
	ErrChallengeRefused = errors.New("anytype refused to start pairing")
	// ErrCodeRejected: 500 on solve — wrong code, not yet approved, or expired.
	ErrCodeRejected = errors.New("anytype did not accept the code")
	// ErrBadRequest: a 4xx the client did not expect.
	ErrBadRequest = errors.New("anytype rejected the request")
	// ErrUnexpectedResponse: HTML, non-JSON, oversized or malformed answers.
	ErrUnexpectedResponse = errors.New("unexpected response from anytype")
	// ErrTimeout: no answer before the deadline.
	ErrTimeout = errors.New("anytype did not answer in time")
	// ErrInvalidCode: the code is not exactly 4 digits (checked locally).
	ErrInvalidCode = errors.New("the code must be exactly 4 digits")
	// ErrNotLoopback: the API URL names a host other than this machine.
	ErrNotLoopback = errors.New("the api url must point to this machine (127.0.0.1, ::1 or localhost)")
)

// APIError is a non-2xx answer. It unwraps to one of the sentinels above.
type APIError struct {
	Op         string // "creating challenge", "creating api key", ...
	StatusCode int
	Code       string // "bad_request", ... ("" on old servers)
	Message    string // server's message, sanitised
	Kind       error  // the sentinel it unwraps to
}

func (e *APIError) Error() string { panic("skeleton") }
func (e *APIError) Unwrap() error { return e.Kind }
