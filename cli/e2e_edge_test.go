package cli

// End-to-end tests of issue 9's classes on the real binary: scoped keys and
// open requests on newer Anytype, verify's summary, names that look the
// same, and the command line as people type it.

import (
	"strings"
	"testing"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

func TestE2EScopedKey(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{Whoami: true,
		Grant: &fakeanytype.Grant{SpaceIDs: []string{"bafy1", "bafy2"}, Permission: "read"}})
	name := e.name("scoped")
	r := e.pair([]string{rightCode}, "pair", name)
	if r.code != 0 {
		t.Fatalf("pair: exit %d\n%s", r.code, r.stderr)
	}
	const warning = "works only on Anytype's /v2 API"
	if n := strings.Count(r.stderr, warning); n != 1 {
		t.Errorf("pair warned %d times, want once:\n%s", n, r.stderr)
	}
	if r := e.run(nil, "list"); !strings.Contains(r.stdout, "2 spaces, read-only") {
		t.Errorf("list does not show the scope:\n%s", r.stdout)
	}
	r = e.run(nil, "verify", name)
	if r.code != 0 || !strings.Contains(r.stdout, "valid, works only on /v2 (2 spaces, read-only)") {
		t.Errorf("verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{{"mcp", name}, {"env", name}, {"exec", name, "--", "true"}} {
		r := e.run(nil, args...)
		if r.code != 0 || strings.Count(r.stderr, warning) != 1 || strings.Contains(r.stdout, warning) {
			t.Errorf("%s: exit %d, want one warning on stderr:\n%s", args[0], r.code, r.stderr)
		}
	}
	// A full grant is no reason to warn.
	full := newE2E(t, fakeanytype.Config{Whoami: true, Grant: &fakeanytype.Grant{AllSpaces: true, Permission: "readwrite"}})
	r = full.pair([]string{rightCode}, "pair", full.name("full"))
	if r.code != 0 || strings.Contains(r.stderr, warning) {
		t.Errorf("pair of a full key: exit %d\n%s", r.code, r.stderr)
	}
}

func TestE2ERequestAlreadyOpen(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{OpenRequest429: true})
	c, err := auth.NewClient(e.srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateChallenge(t.Context(), "earlier"); err != nil {
		t.Fatal(err)
	}
	r := e.run(strings.NewReader("1234\n"), "pair", e.name("second"))
	if r.code != 1 || !strings.Contains(r.stderr, "an anykey request is already open in Anytype (or was denied)") ||
		!strings.Contains(r.stderr, "answer it there") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
	for _, bad := range []string{"is that Anytype", "restart Anytype, then"} {
		if strings.Contains(r.stderr, bad) {
			t.Errorf("stderr says %q:\n%s", bad, r.stderr)
		}
	}
}

func TestE2EVerifySummary(t *testing.T) {
	t.Parallel()
	e, name, _ := pairedE2E(t)
	if r := e.run(strings.NewReader("not-a-key\n"), "add", e.name("bad"), "--no-verify"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := e.run(nil, "verify")
	if r.code != 1 || !strings.HasSuffix(r.stdout, "\n1 valid, 1 rejected\n") {
		t.Errorf("verify: exit %d\n%s", r.code, r.stdout)
	}
	// Anytype not running: nothing could be checked, and that is a failure.
	e.extra = []string{EnvAPIURL + "=" + closedURL(t)}
	r = e.run(nil, "--api-url", closedURL(t), "verify")
	if r.code != 1 || !strings.HasSuffix(r.stdout, "\n2 unreachable\n") {
		t.Errorf("verify with Anytype down: exit %d\n%s", r.code, r.stdout)
	}
	e.extra = nil
	if r := e.run(nil, "verify", name); r.code != 0 || r.stdout != name+": valid\n" {
		t.Errorf("verify NAME: exit %d %q", r.code, r.stdout)
	}
}

func TestE2ENames(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	nfc := e.name("caf\u00e9")
	nfd := e.name("cafe\u0301")
	if r := e.run(strings.NewReader("k1\n"), "add", nfd, "--no-verify"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if got := keyring(t, nfc); got != "k1" {
		t.Errorf("the key is not stored under the NFC name (got %q)", got)
	}
	r := e.run(strings.NewReader("k2\n"), "add", strings.ToUpper(nfc), "--no-verify")
	if r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("same name in other case and form: exit %d\n%s", r.code, r.stderr)
	}
	if r := e.pair(nil, "pair", "--", "-rf"); r.code != 2 || !strings.Contains(r.stderr, "starts with '-'") {
		t.Errorf("pair -- -rf: exit %d\n%s", r.code, r.stderr)
	}
	if e.srv.Challenges() != 0 {
		t.Errorf("a challenge was spent on a refused name")
	}
	if r := e.run(strings.NewReader("k3\n"), "add", e.name("日本語のキー"), "--no-verify"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r = e.run(nil, "list")
	cols := urlColumn(t, r.stdout)
	for _, c := range cols {
		if c != cols[0] {
			t.Errorf("list columns do not line up:\n%s", r.stdout)
			break
		}
	}
}

func TestE2EUsage(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
		lines  int // stderr lines; 0 = any
	}{
		{args: []string{"lsit"}, code: 2, stderr: `did you mean "list"?`, lines: 3},
		{args: []string{"get"}, code: 2, stderr: "anykey help get", lines: 2},
		{args: []string{"autostart"}, code: 2, stderr: "on, off or status", lines: 2},
		{args: []string{"help", "exec"}, stdout: "Usage: anykey [--api-url URL] exec NAME -- CMD"},
		{args: []string{"verify", "--help"}, stdout: "Usage: anykey [--api-url URL] verify [NAME]"},
		{args: []string{"--api-url", "http://example.com", "list"}, code: 2, stderr: "must point to this machine"},
		{args: []string{"--api-url", "http://192.168.1.5:31009", "get", "x"}, code: 2, stderr: "must point to this machine"},
	}
	for _, tt := range tests {
		r := e.run(nil, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", tt.args, r.code, r.stdout, r.stderr)
		}
		if tt.lines > 0 && strings.Count(r.stderr, "\n") != tt.lines {
			t.Errorf("%v: %d stderr lines, want %d:\n%s", tt.args, strings.Count(r.stderr, "\n"), tt.lines, r.stderr)
		}
	}
}
