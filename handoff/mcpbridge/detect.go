package mcpbridge

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// DetectTimeout bounds [Detect]; Anytype answers it on loopback in
// milliseconds.
const DetectTimeout = 5 * time.Second

// Detect reports whether Anytype at cfg.BaseURL serves MCP at
// /mcp/{cfg.Tier}, without side effects: it POSTs no key and no message.
// Newer Anytype's middleware answers that with 401 and
// `WWW-Authenticate: Bearer realm="anytype"` (§8.3, §8.5 of the project's
// notes); older Anytype has no such route and answers 404. Any other
// answer is "not served" too, except a transient refusal (408, 429, 5xx),
// which says nothing either way. The error is non-nil when nothing
// answered (not running, no answer within [DetectTimeout], or a listener
// of another user's, which got nothing) or when the answer was such a
// refusal.
func Detect(ctx context.Context, cfg Config) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, DetectTimeout)
	defer cancel()
	if cfg.Tier == "" {
		cfg.Tier = DefaultTier
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.Endpoint(), http.NoBody)
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Anytype-Version", anytypeVersion)
	resp, err := cfg.Transport.RoundTrip(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		return false, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxRefusalBody))
	resp.Body.Close()
	if s := resp.StatusCode; s == http.StatusRequestTimeout || s == http.StatusTooManyRequests || s >= 500 {
		// A transient refusal says nothing about the endpoint; taking it
		// for an older Anytype would run anytype-mcp for the whole
		// session, where scoped keys fail.
		return false, &ProbeError{Status: s}
	}
	return resp.StatusCode == http.StatusUnauthorized && anytypeRealm(resp.Header.Values("WWW-Authenticate")), nil
}

// ProbeError is [Detect]'s error for a transient refusal of the probe.
type ProbeError struct {
	Status int // the HTTP status: 408, 429 or 5xx
}

func (e *ProbeError) Error() string {
	return fmt.Sprintf("answered the probe with HTTP %d %s", e.Status, http.StatusText(e.Status))
}

// anytypeRealm reports whether a Bearer challenge names realm="anytype".
func anytypeRealm(challenges []string) bool {
	for _, c := range challenges {
		scheme, params, _ := strings.Cut(strings.TrimSpace(c), " ")
		if !strings.EqualFold(scheme, "Bearer") {
			continue
		}
		for _, p := range strings.Split(params, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "realm") && strings.Trim(v, `"`) == "anytype" {
				return true
			}
		}
	}
	return false
}
