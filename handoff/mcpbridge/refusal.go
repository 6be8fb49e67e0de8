package mcpbridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
)

// JSON-RPC error codes of the bridge's own answers, in the range JSON-RPC
// leaves to implementations. The error's data is {"http_status": N} when
// Anytype answered.
const (
	// CodeKeyRefused: Anytype refused the key (401, 403).
	CodeKeyRefused = -32001
	// CodeNotServed: no MCP endpoint or no session there (404).
	CodeNotServed = -32002
	// CodeTooLarge: the message is larger than Anytype reads (413).
	CodeTooLarge = -32003
	// CodeBusy: Anytype's limits on calls or sessions (429).
	CodeBusy = -32004
	// CodeUnreachable: Anytype is not running, or did not answer in time
	// (no answer, 408, 5xx).
	CodeUnreachable = -32006
	// CodeRejected: any other refusal (400 and the like).
	CodeRejected = -32007
)

// refusal turns a failed Write into the answer the client gets. out says
// what Anytype answered, if anything; err is the SDK's error.
func (b *bridge) refusal(out *outcome, err error) *jsonrpc.Error {
	out.mu.Lock()
	status, header, body, terr, got := out.status, out.header, out.body, out.err, out.got
	out.mu.Unlock()
	if status == 0 {
		if terr == nil && got {
			// Anytype answered, but not as MCP answers a call (a 202
			// with no body, another content type).
			return &jsonrpc.Error{Code: CodeRejected, Message: fmt.Sprintf(
				"the server at %s gave no MCP answer to the call (%s). Check that this is Anytype's address, update Anytype, then try again", b.cfg.BaseURL, b.clean(err.Error()))}
		}
		if terr == nil {
			terr = err
		}
		return b.transportRefusal(terr)
	}
	return b.httpRefusal(status, header, body)
}

// httpRefusal is the answer for an HTTP refusal, by status.
func (b *bridge) httpRefusal(status int, header http.Header, body []byte) *jsonrpc.Error {
	cfg := b.cfg
	msg := serverMessage(body, b.clean)
	said := fmt.Sprintf("HTTP %d", status)
	if msg != "" {
		said += ": " + msg
	}
	name := quoteName(cfg.Name)
	var code int
	var text string
	switch {
	case status == http.StatusUnauthorized && msg == "api key expired":
		code = CodeKeyRefused
		text = fmt.Sprintf("Anytype refused the key %s: it has expired (%s). Make a new one with: anykey rotate %s", name, said, cfg.Name)
	case status == http.StatusUnauthorized:
		code = CodeKeyRefused
		text = fmt.Sprintf("Anytype refused the key %s (%s). Check it with: anykey verify %s", name, said, cfg.Name)
	case status == http.StatusForbidden:
		code = CodeKeyRefused
		text = fmt.Sprintf("Anytype refused the key %s for MCP (%s). Check it with: anykey verify %s; a key of Limited scope needs a new one with JSON API scope: anykey pair %s --force", name, said, cfg.Name, cfg.Name)
	case status == http.StatusNotFound:
		code = CodeNotServed
		text = fmt.Sprintf("Anytype at %s does not serve MCP at /mcp/%s (%s). Update Anytype, or restart this MCP server so that anykey runs anytype-mcp instead", cfg.BaseURL, cfg.Tier, said)
	case status == http.StatusRequestTimeout:
		code = CodeUnreachable
		text = fmt.Sprintf("Anytype did not receive the whole message in time (%s). Try again", said)
	case status == http.StatusRequestEntityTooLarge:
		return refusalTooLarge(cfg)
	case status == http.StatusTooManyRequests:
		code = CodeBusy
		text = fmt.Sprintf("Anytype is busy: too many MCP calls or sessions at once for the key %s (%s; Anytype allows %d calls in flight per key, other clients with the same key included). Wait a moment, then try again", name, said, DefaultMaxInFlight)
	case status >= 500:
		code = CodeUnreachable
		text = fmt.Sprintf("Anytype failed to answer (%s %s). Try again; if it keeps failing, restart Anytype", said, http.StatusText(status))
	default:
		code = CodeRejected
		text = fmt.Sprintf("Anytype rejected the message (%s). If this keeps happening with one client, report it with the client's name and version", said)
	}
	e := &jsonrpc.Error{Code: int64(code), Message: text}
	e.Data, _ = json.Marshal(map[string]int{"http_status": status})
	return e
}

// transportRefusal is the answer when Anytype did not answer at all.
func (b *bridge) transportRefusal(err error) *jsonrpc.Error {
	cfg := b.cfg
	var le *auth.ListenerError
	var text string
	switch {
	case auth.IsRefused(err): // WSAECONNREFUSED on Windows
		text = fmt.Sprintf("Anytype is not running at %s (nothing listens there). Start Anytype, then try again", cfg.BaseURL)
	case errors.As(err, &le):
		text = fmt.Sprintf("anykey sent nothing to %s: %s. Set %s to trust that account if it is really Anytype", cfg.BaseURL, b.clean(le.Error()), auth.EnvTrustListenerOwner)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded):
		text = fmt.Sprintf("Anytype at %s did not answer within %s. Try again; if it keeps happening, restart Anytype", cfg.BaseURL, cfg.CallTimeout)
	case errors.Is(err, context.Canceled):
		text = "the call was cancelled"
	default:
		text = fmt.Sprintf("cannot reach Anytype at %s (%s). Check that Anytype is running, then try again", cfg.BaseURL, b.clean(err.Error()))
	}
	return &jsonrpc.Error{Code: CodeUnreachable, Message: text}
}

// lostRefusal answers a call whose answer was to come through a session
// that broke: it may or may not have run.
func (b *bridge) lostRefusal(up *upstream) *jsonrpc.Error {
	why := "the connection broke"
	if up.err != nil {
		why = b.clean(up.err.Error())
	}
	return &jsonrpc.Error{Code: CodeUnreachable, Message: fmt.Sprintf(
		"the connection to Anytype ended before its answer came (%s); the call may or may not have run. Check, then try again", why)}
}

// streamEndedRefusal answers a call whose answer stream ended, or broke
// off, without its answer: at the call's deadline, as a call unanswered in
// time; otherwise as a lost answer.
func (b *bridge) streamEndedRefusal(c *call) *jsonrpc.Error {
	if d, ok := c.ctx.Deadline(); ok && !time.Now().Before(d) {
		return b.transportRefusal(context.DeadlineExceeded)
	}
	return &jsonrpc.Error{Code: CodeUnreachable, Message: "Anytype's answer ended before the call's result came; the call may or may not have run. Check, then try again"}
}

func refusalTooLarge(cfg Config) *jsonrpc.Error {
	e := &jsonrpc.Error{Code: CodeTooLarge, Message: fmt.Sprintf(
		"the message is larger than Anytype accepts (%d MiB, HTTP 413). Send less at once", MaxBody>>20)}
	e.Data, _ = json.Marshal(map[string]int{"http_status": http.StatusRequestEntityTooLarge})
	return e
}

func refusalSessionAgain(cfg Config) *jsonrpc.Error {
	e := &jsonrpc.Error{Code: CodeNotServed, Message: fmt.Sprintf(
		"Anytype ended the MCP session again right after anykey opened a new one (HTTP 404 at %s). Restart this MCP server in your client", cfg.Endpoint())}
	e.Data, _ = json.Marshal(map[string]int{"http_status": http.StatusNotFound})
	return e
}

// serverMessage is the message of Anytype's error body, made one safe
// line by clean.
func serverMessage(body []byte, clean func(string) string) string {
	var e struct {
		Message string `json:"message"`
		Error   any    `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	m := e.Message
	if m == "" {
		if s, ok := e.Error.(string); ok {
			m = s
		}
	}
	return clean(m)
}

// sanitize makes text from elsewhere one safe line without the key.
func sanitize(s, key string) string {
	if key != "" {
		s = strings.ReplaceAll(s, key, "[key]")
	}
	s = textsafe.Terminal(strings.Join(strings.Fields(s), " "))
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}

func quoteName(name string) string { return fmt.Sprintf("%q", name) }
