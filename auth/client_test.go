package auth

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestRefusedConnection(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := NewClient("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Probe(t.Context()); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Probe = %v, want ErrNotRunning", err)
	}
	if _, err := c.CreateChallenge(t.Context(), "n"); !errors.Is(err, ErrNotRunning) {
		t.Errorf("CreateChallenge = %v, want ErrNotRunning", err)
	}
	ch := &Challenge{ID: "abc", Server: Server{Generation: GenLegacy}}
	if _, err := c.CreateAPIKey(t.Context(), ch, "4821"); !errors.Is(err, ErrNotRunning) || strings.Contains(err.Error(), "challenge_id=") {
		t.Errorf("CreateAPIKey = %v, want ErrNotRunning without the URL", err)
	}
	if v, err := c.Verify(t.Context(), "k3y"); v != Unreachable || !errors.Is(err, ErrNotRunning) {
		t.Errorf("Verify = %v, %v, want Unreachable, ErrNotRunning", v, err)
	}
}

func TestNewClientOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		url  string
		opts []Option
		ok   bool
	}{
		{"defaults", DesktopURL, nil, true},
		{"trailing slash", "http://localhost:31012/", nil, true},
		{"remote host", "http://example.com", nil, false},
		{"nil http client", DesktopURL, []Option{WithHTTPClient(nil)}, false},
		{"zero timeout", DesktopURL, []Option{WithTimeout(0)}, false},
		{"header injection in user agent", DesktopURL, []Option{WithUserAgent("x\r\nOrigin: evil")}, false},
		{"custom http client", DesktopURL, []Option{WithHTTPClient(&http.Client{})}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(tt.url, tt.opts...)
			if (err == nil) != tt.ok {
				t.Fatalf("NewClient error = %v, want ok %v", err, tt.ok)
			}
			if tt.ok && strings.HasSuffix(c.BaseURL(), "/") {
				t.Errorf("BaseURL %q has a trailing slash", c.BaseURL())
			}
		})
	}
}

// TestNoRedirects makes sure a redirect is never followed: it could carry
// the Bearer key to another host.
func TestNoRedirects(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	ts := newHandlerServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "http://127.0.0.1:1/elsewhere", http.StatusFound)
	})
	c, err := NewClient(ts, WithHTTPClient(&http.Client{}))
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.Verify(t.Context(), "k3y")
	if v != Unreachable || !errors.Is(err, ErrUnexpectedResponse) || hits.Load() != 1 {
		t.Errorf("Verify on a redirect = %v, %v (hits %d)", v, err, hits.Load())
	}
}
