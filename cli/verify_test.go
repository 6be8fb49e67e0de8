package cli

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/keystore"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	h, _ := seeded(t)
	ctx := t.Context()
	set := func(name, url, secret string) {
		if err := h.store.Set(ctx, keystore.Entry{Name: name, APIURL: url}, secret, false); err != nil {
			t.Fatal(err)
		}
	}
	set("revoked", h.srv.URL(), "not-a-key-anytype-knows")
	set("elsewhere", closedURL(t), "whatever")

	tests := []struct {
		args   []string
		code   int
		stdout string
	}{
		{[]string{"verify", "work"}, 0, "work: valid\n"},
		{[]string{"verify", "revoked"}, 1, "revoked: rejected\n"},
		{[]string{"verify", "elsewhere"}, 1, "elsewhere: unreachable\n"},
		{[]string{"verify", "gone"}, 1, "gone: missing from keychain\n"},
		{[]string{"verify"}, 1, "elsewhere: unreachable\ngone: missing from keychain\nrevoked: rejected\nwork: valid\n" +
			"1 valid, 1 rejected, 1 unreachable, 1 missing from keychain\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := h.run(nil, tt.args...)
			if r.code != tt.code || r.stdout != tt.stdout {
				t.Errorf("exit %d stdout %q; want %d %q\nstderr: %s", r.code, r.stdout, tt.code, tt.stdout, r.stderr)
			}
		})
	}
	t.Run("a rejected key ends with a hint, as the tray does", func(t *testing.T) {
		r := h.run(nil, "verify", "revoked")
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if last := lines[len(lines)-1]; !strings.HasPrefix(last, "anykey: hint: ") || !strings.Contains(last, "anykey rotate revoked") {
			t.Errorf("stderr %q; want it to end with a hint naming anykey rotate revoked", r.stderr)
		}
	})
	t.Run("an unreachable key is not a confirmed one", func(t *testing.T) {
		h2, _ := seeded(t)
		h2.store.Delete(t.Context(), "gone")
		if err := h2.store.Set(ctx, keystore.Entry{Name: "elsewhere", APIURL: closedURL(t)}, "x", false); err != nil {
			t.Fatal(err)
		}
		r := h2.run(nil, "verify")
		if r.code != 1 || !strings.HasSuffix(r.stdout, "\n1 valid, 1 unreachable\n") {
			t.Errorf("exit %d, want 1 and a summary\n%s", r.code, r.stdout)
		}
		want(t, "stderr", r.stderr, "could not reach Anytype", "start Anytype and log in", "anykey set-url elsewhere URL")
	})
	t.Run("a hung Anytype is waited for once, not once per key", func(t *testing.T) {
		// A listener that accepts and never answers, as a hung Anytype
		// does: each key sent there would cost the client's whole timeout.
		addr, accepted := desktoptest.SilentListener(t, "tcp", "127.0.0.1:0")
		hung := "http://" + addr
		h2, _ := seeded(t)
		h2.store.Delete(t.Context(), "gone")
		for _, n := range []string{"hung-a", "hung-b", "hung-c"} {
			if err := h2.store.Set(ctx, keystore.Entry{Name: n, APIURL: hung}, "k-"+n, false); err != nil {
				t.Fatal(err)
			}
		}
		if r := h2.run(nil, "verify", "hung-a"); r.code != 1 || r.stdout != "hung-a: unreachable\n" {
			t.Fatalf("one key: exit %d %q\n%s", r.code, r.stdout, r.stderr)
		}
		one := accepted()
		if one == 0 {
			t.Fatal("verify never reached the hung listener")
		}
		r := h2.run(nil, "verify")
		wantOut := "hung-a: unreachable\n" +
			"hung-b: unreachable, not asked again: no answer there for an earlier key\n" +
			"hung-c: unreachable, not asked again: no answer there for an earlier key\n" +
			"work: valid\n1 valid, 3 unreachable\n"
		if r.code != 1 || r.stdout != wantOut {
			t.Errorf("exit %d stdout %q; want 1 %q\n%s", r.code, r.stdout, wantOut, r.stderr)
		}
		if got := accepted() - one; got != one {
			t.Errorf("verify of 3 keys at the hung address opened %d connections there, want %d (as for one key)", got, one)
		}
		want(t, "stderr", r.stderr, "could not reach Anytype at "+hung)
	})
	t.Run("an address that answers with an error is still asked for each key", func(t *testing.T) {
		// In front of the fake Anytype, a proxy that fails one key with a
		// 500: that answer says nothing about the other keys.
		h2, _ := seeded(t)
		h2.store.Delete(t.Context(), "gone")
		target, err := url.Parse(h2.srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		proxy := httputil.NewSingleHostReverseProxy(target)
		front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "Bearer k-500" {
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
			proxy.ServeHTTP(w, r)
		}))
		t.Cleanup(front.Close)
		if err := h2.store.Set(ctx, keystore.Entry{Name: "a-first", APIURL: front.URL}, "k-500", false); err != nil {
			t.Fatal(err)
		}
		if err := h2.store.Set(ctx, keystore.Entry{Name: "b-good", APIURL: front.URL}, mint(t, h2.srv), false); err != nil {
			t.Fatal(err)
		}
		r := h2.run(nil, "verify")
		wantOut := "a-first: unreachable\nb-good: valid\nwork: valid\n2 valid, 1 unreachable\n"
		if r.code != 1 || r.stdout != wantOut {
			t.Errorf("exit %d stdout %q; want 1 %q\n%s", r.code, r.stdout, wantOut, r.stderr)
		}
		want(t, "stderr", r.stderr, "a-first: ", "500")
		if strings.Contains(r.stderr, "could not reach") {
			t.Errorf("an address that answered is reported as not reached:\n%s", r.stderr)
		}
	})
	t.Run("Anytype not running: nothing checked", func(t *testing.T) {
		h2, _ := seeded(t)
		h2.store.Delete(t.Context(), "gone")
		r := h2.run(nil, "--api-url", closedURL(t), "verify")
		if r.code != 1 || !strings.HasSuffix(r.stdout, "\n1 unreachable\n") {
			t.Errorf("exit %d, want 1 and \"1 unreachable\"\n%s", r.code, r.stdout)
		}
	})
	t.Run("--api-url wins over the saved URL", func(t *testing.T) {
		h2, _ := seeded(t)
		h2.store.Delete(t.Context(), "gone")
		if err := h2.store.Set(ctx, keystore.Entry{Name: "moved", APIURL: closedURL(t)}, mint(t, h2.srv), false); err != nil {
			t.Fatal(err)
		}
		if r := h2.run(nil, "verify", "moved"); r.code != 1 {
			t.Fatalf("at the saved URL: exit %d, want 1 (nothing listens there)", r.code)
		}
		r := h2.run(nil, "--api-url", h2.srv.URL(), "verify", "moved")
		if r.code != 0 || r.stdout != "moved: valid\n" {
			t.Errorf("with --api-url: exit %d %q\n%s", r.code, r.stdout, r.stderr)
		}
		if r := h2.run(nil, "set-url", "moved", h2.srv.URL()); r.code != 0 {
			t.Fatalf("set-url: exit %d\n%s", r.code, r.stderr)
		}
		if r := h2.run(nil, "verify", "moved"); r.code != 0 {
			t.Errorf("after set-url: exit %d\n%s", r.code, r.stderr)
		}
		if r := h2.run(nil, "set-url", "moved", "http://example.com"); r.code != 2 {
			t.Errorf("set-url to a foreign host: exit %d, want 2", r.code)
		}
		r = h2.run(nil, "--api-url", "http://127.0.0.1:31012", "env", "moved", "--shell", "sh")
		want(t, "env", r.stdout, "ANYTYPE_API_BASE_URL='http://127.0.0.1:31012'")
	})
}
