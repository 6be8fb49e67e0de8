package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"

	"github.com/anykey-app/anykey/internal/textsafe"
)

// Errors callers branch on with errors.Is. Error strings never contain a key
// or a code.
var (
	// ErrNotRunning: connection refused — Anytype is not running, nobody is
	// logged in, or the API is on another port.
	ErrNotRunning = errors.New("anytype is not reachable")
	// ErrChallengeRefused: 500 on create — cap reached, pairing locked, no account.
	ErrChallengeRefused = errors.New("anytype refused to start pairing")
	// ErrRequestOpen: 429 (rate_limit_exceeded, TOO_MANY_REQUESTS) on
	// create — a request from this app already waits in Anytype, or the
	// user denied one; a new one is refused until it is answered.
	ErrRequestOpen = errors.New("a pairing request is already open in anytype (or was denied)")
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

func (e *APIError) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	kind := e.Kind
	if kind == nil {
		kind = ErrUnexpectedResponse
	}
	fmt.Fprintf(&b, "%v (HTTP %d", kind, e.StatusCode)
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	b.WriteString(")")
	return b.String()
}

func (e *APIError) Unwrap() error { return e.Kind }

// opError wraps kind with the operation and an optional safe detail.
func opError(op string, kind error, detail ...string) error {
	if len(detail) > 0 && detail[0] != "" {
		return fmt.Errorf("%s: %w (%s)", op, kind, strings.Join(detail, ", "))
	}
	return fmt.Errorf("%s: %w", op, kind)
}

// transportError classifies a failed round trip. It drops the *url.Error
// wrapper, whose text holds the URL and so, on the old schema, the code.
func transportError(ctx context.Context, op string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled):
		return fmt.Errorf("%s: %w", op, context.Canceled)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) ||
		errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("%s: %w: %w", op, ErrTimeout, context.DeadlineExceeded)
	case IsRefused(err):
		return fmt.Errorf("%s: %w: %w", op, ErrNotRunning, err)
	case errors.Is(err, errHeadTooLarge):
		return opError(op, ErrUnexpectedResponse, "response header larger than 64 KiB")
	}
	var le *ListenerError
	if errors.As(err, &le) {
		return fmt.Errorf("%s: %w", op, err)
	}
	var oe *net.OpError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		isDropped(err):
		// Something accepted the connection and dropped it: a server
		// that is not Anytype, or one going down.
		return opError(op, ErrUnexpectedResponse, "the connection was closed without an answer")
	case errors.As(err, &oe) && oe.Op == "dial":
		// No route to the port at all (an unreachable or missing
		// loopback address): as good as nobody listening.
		return fmt.Errorf("%s: %w: %w", op, ErrNotRunning, err)
	case errors.As(err, &oe):
		return fmt.Errorf("%s: %w", op, safeError{err})
	}
	// What is left are parse errors of the answer (an HTTP/0.9 reply, a
	// malformed status or header line): the server does not speak HTTP
	// as Anytype does. They quote what the server sent: keep the error
	// for errors.Is, show only safe text.
	return fmt.Errorf("%s: %w (%w)", op, ErrUnexpectedResponse, safeError{err})
}

// safeError shows err's text through [sanitize].
type safeError struct{ err error }

func (e safeError) Error() string { return sanitize(e.err.Error(), nil) }
func (e safeError) Unwrap() error { return e.err }

// checkResponse turns a non-2xx answer into an *APIError. A 500 is
// onServerError (what the server means by 500 depends on the call).
//
// Any 2xx is success: 2025-05-20 servers answer the old display_code/token
// paths with the non-standard 299 (anytype-heart commit 854c5e70d), which a
// client testing == 200 takes for a failure.
func checkResponse(op string, r *response, onServerError error, secrets []string) error {
	if r.status >= 200 && r.status <= 299 {
		return nil
	}
	e := &APIError{Op: op, StatusCode: r.status, Kind: ErrUnexpectedResponse}
	code, msg, ok := decodeError(r.body)
	if ok {
		e.Code, e.Message = sanitize(code, secrets), sanitize(msg, secrets)
	} else if isPlainText(r.header.Get("Content-Type")) {
		e.Message = sanitize(firstLine(r.body), secrets)
	}
	switch {
	case r.status == 500 && onServerError != nil:
		e.Kind = onServerError
	case r.status >= 400 && r.status < 500:
		e.Kind = ErrBadRequest
	}
	return e
}

// sanitize makes a server message safe to show: no secret we sent (a server
// could echo the code or key), nothing [textsafe.Terminal] drops (control
// characters, bidi overrides and isolates), at most 200 runes. Markup is
// escaped later, where a notification is built.
func sanitize(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	s = textsafe.Terminal(s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}
