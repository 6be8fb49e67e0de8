//go:build unix

package tray

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestSystemOpenerReportsFailures runs launchers that behave like xdg-open
// in each case: one that hands over and exits 0, one still running (the
// app starting), xdg-open's exit status 3 when nothing handles the scheme,
// and another failure.
func TestSystemOpenerReportsFailures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	noHandler := filepath.Join(dir, "xdg-open")
	if err := os.WriteFile(noHandler, []byte("#!/bin/sh\necho \"xdg-open: no method available for opening '$1'\" >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		argv      []string
		noHandler bool
		fails     bool
	}{
		{"handed over", []string{"true"}, false, false},
		{"still starting the app", []string{"sh", "-c", "sleep 10", "sh"}, false, false},
		{"xdg-open without a handler", []string{noHandler}, true, true},
		{"another failure", []string{"false"}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := SystemOpener{argv: func(url string) []string { return append(tc.argv, url) }}
			start := time.Now()
			err := o.Open("anytype://")
			if took := time.Since(start); took > openWait+time.Second {
				t.Errorf("Open took %s", took)
			}
			if (err != nil) != tc.fails || errors.Is(err, ErrNoHandler) != tc.noHandler {
				t.Errorf("Open: %v; want failure %v, no handler %v", err, tc.fails, tc.noHandler)
			}
		})
	}
}
