package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/user"
	"strings"
	"sync"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/textsafe"
)

// MCPPath is the route doctor asks to learn whether Anytype serves its own
// MCP endpoint (heart's /mcp/{tier}, the project's docs/anytype-api.md).
const MCPPath = "/mcp/small"

// urlState is what one URL turned out to be, before the verdict across
// URLs decides how bad a URL that does not work is.
type urlState int

const (
	urlWorks   urlState = iota
	urlAbsent           // nothing listens
	urlBlocked          // a listener anykey will not talk to, or not Anytype
)

// checkAnytypeAll checks each URL side by side. A URL where nothing
// listens is only [Info] when another URL works; when none works, every
// URL's finding is [Missing]: pairing needs one.
func checkAnytypeAll(ctx context.Context, o Options, urls []string) []Finding {
	out := make([]Finding, len(urls))
	states := make([]urlState, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, o.timeout())
			defer cancel()
			out[i], states[i] = checkAnytype(cctx, u)
		}()
	}
	wg.Wait()
	works := false
	for _, s := range states {
		works = works || s == urlWorks
	}
	for i, s := range states {
		switch {
		case s == urlWorks:
		case works && s == urlAbsent:
			out[i].Status, out[i].Fix = Info, ""
		case works:
			out[i].Status = Warning
		default:
			out[i].Status = Missing
		}
	}
	return out
}

// checkAnytype checks one API URL without side effects: who listens, the
// API version (auth.Client.Probe, which creates no challenge) and whether
// heart's own MCP endpoint answers a request without a key.
func checkAnytype(ctx context.Context, base string) (Finding, urlState) {
	f := Finding{Piece: PieceAnytype, Title: "Anytype", Where: base, Facts: map[string]string{"url": base}}
	if _, err := auth.ParseBaseURL(base); err != nil {
		f.Found = err.Error()
		f.Fix = "use a loopback URL such as " + auth.DesktopURL
		return f, urlBlocked
	}
	conn, err := auth.DialOwned(ctx, base)
	var le *auth.ListenerError
	switch {
	case errors.As(err, &le):
		f.Facts["listener_owner"] = le.Owner
		if errors.Is(err, auth.ErrListenerUnknown) {
			f.Found = "something listens here, and who owns it cannot be found; anykey sends it nothing"
			f.Fix = "set " + auth.EnvTrustListenerOwner + "=* if you trust it (a forwarded port)"
			return f, urlBlocked
		}
		who := textsafe.Terminal(le.Owner)
		f.Found = fmt.Sprintf("user %s's program listens here, not yours; anykey sends it nothing", who)
		f.Fix = fmt.Sprintf("stop that program, or if it is your Anytype run by that account, add that account to %s", auth.EnvTrustListenerOwner)
		if v := le.TrustValue(); v != "" {
			f.Fix = fmt.Sprintf("stop that program, or if it is your Anytype run by that account, set %s=%s", auth.EnvTrustListenerOwner, v)
		}
		return f, urlBlocked
	case err != nil && ctx.Err() != nil:
		f.Found = "connecting did not finish in time"
		f.Fix = "restart Anytype"
		return f, urlBlocked
	case err != nil:
		f.Found = "nothing listens here (" + shortNetError(err) + ")"
		f.Fix = startAnytype(base)
		return f, urlAbsent
	}
	conn.Close()
	f.Facts["listener_owner"] = currentUser()

	c, err := auth.NewClient(base)
	if err != nil {
		f.Found = err.Error()
		return f, urlBlocked
	}
	srv, err := c.Probe(ctx)
	if errors.Is(err, auth.ErrTimeout) || err != nil && ctx.Err() != nil {
		f.Found = "a program you run listens here but did not answer in time (a hung Anytype?)"
		f.Fix = "restart Anytype"
		return f, urlBlocked
	}
	if err != nil {
		f.Found = "a program you run listens here, but it does not answer as Anytype's API: " + textsafe.Terminal(err.Error())
		f.Fix = "stop the program holding the port, then start Anytype"
		return f, urlBlocked
	}
	version := srv.APIVersion
	if version == "" {
		version = "older than 2025-03-17 (no version header)"
	}
	f.Facts["api_version"] = srv.APIVersion
	f.Facts["generation"] = srv.Generation.String()
	mcp := probeMCP(ctx, base)
	f.Facts["mcp"] = mcp
	f.Status = OK
	f.Found = fmt.Sprintf("running, API %s, listener yours; its own MCP endpoint: %s", version, mcpWords[mcp])
	return f, urlWorks
}

var mcpWords = map[string]string{
	"yes":     "yes (" + MCPPath + ")",
	"no":      "no (anykey mcp NAME sets up anytype-mcp)",
	"unknown": "unknown (no clear answer)",
}

// probeMCP asks for heart's MCP endpoint without a key: a server that
// serves it answers 401 with `WWW-Authenticate: Bearer realm="anytype"`
// before reading the body, one that does not answers 404. The request goes
// over a connection whose listener was checked like every other.
func probeMCP(ctx context.Context, base string) string {
	hc := &http.Client{
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return auth.DialOwned(ctx, base)
			},
			DisableKeepAlives: true,
			Proxy:             nil,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	body := []byte(`{"jsonrpc":"2.0","id":1,"method":"ping"}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+MCPPath, bytes.NewReader(body))
	if err != nil {
		return "unknown"
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := hc.Do(req)
	if err != nil {
		return "unknown"
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode == http.StatusUnauthorized &&
		strings.Contains(resp.Header.Get("WWW-Authenticate"), `realm="anytype"`):
		return "yes"
	case resp.StatusCode == http.StatusNotFound:
		return "no"
	}
	return "unknown"
}

// startAnytype is the fix for a URL where nothing listens.
func startAnytype(base string) string {
	switch base {
	case auth.DesktopURL:
		return "start the Anytype desktop app and sign in"
	case auth.CLIURL:
		return "start anytype-cli (anytype serve), or the Anytype desktop app"
	}
	return "start Anytype where it listens on " + base + ", or point the key elsewhere with anykey set-url"
}

func shortNetError(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "you"
}
