package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/handoff/mcpconfig"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// hostileText is what a hostile server or file says: an OSC that retitles
// the terminal, a screen clear, a bell, a C1 CSI, and a right-to-left
// override that reverses what follows on screen (CVE-2021-42574).
const hostileText = "read\x1b]0;pwned\a\x1b[2J\u009b31m\u202eetirw\u2066x\u2069\r\nfake: line"

// unsafeRune returns the first character of out that must not reach a
// terminal (the set internal/textsafe removes; a line feed is allowed), or
// -1 when there is none.
func unsafeRune(out string) rune {
	for _, r := range out {
		switch {
		case r == '\n':
		case r < 0x20, r >= 0x7f && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
			r == 0x200e, r == 0x200f, r == 0x061c, r == 0x2028, r == 0x2029, r == 0xfffd:
			return r
		}
	}
	return -1
}

func wantClean(t *testing.T, what string, outs ...string) {
	t.Helper()
	for _, o := range outs {
		if r := unsafeRune(o); r >= 0 {
			t.Errorf("%s printed %U raw:\n%q", what, r, o)
		}
	}
}

// TestE2EGrantTextClean: the permission a server returns with a key is
// stored in keys.json and shown by pair, list, verify and every hand-out's
// scoped-key warning; none of them may print its controls or bidi
// characters (issue 21 §4).
func TestE2EGrantTextClean(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{Whoami: true,
		Grant: &fakeanytype.Grant{SpaceIDs: []string{"bafy1"}, Permission: hostileText}})
	name := e.name("hostile-scope")
	r := e.pair([]string{rightCode}, "pair", name)
	if r.code != 0 {
		t.Fatalf("pair: exit %d\n%s", r.code, r.stderr)
	}
	wantClean(t, "pair", r.stdout, r.stderr)
	if !strings.Contains(r.stderr, "works only on Anytype's /v2 API") {
		t.Errorf("pair did not warn about the scope:\n%s", r.stderr)
	}
	cases := 1
	for _, args := range [][]string{{"list"}, {"verify", name}, {"verify"}, {"env", name}, {"mcp", name},
		{"exec", name, "--", "true"}} {
		r := e.run(nil, args...)
		cases++
		if r.code != 0 {
			t.Errorf("%s: exit %d\n%s", args[0], r.code, r.stderr)
		}
		wantClean(t, strings.Join(args, " "), r.stdout, r.stderr)
		if args[0] == "list" && !strings.Contains(r.stdout, "1 space, read") {
			t.Errorf("list lost the scope:\n%s", r.stdout)
		}
	}
	t.Logf("%d commands tried with a hostile permission, none printed it raw", cases)
}

// TestMCPClientsTextClean: mcp --clients, --install and --uninstall show
// what other apps' files hold (a foreign entry's command, the key name in
// an entry of anykey's shape) without its controls or bidi characters.
func TestMCPClientsTextClean(t *testing.T) {
	// Not parallel: on Windows the clients' files are found from the
	// process's USERPROFILE (os.UserHomeDir), which the test points at its
	// own directory, as it does HOME elsewhere.
	h, _ := mcpHarness(t)
	home := h.env["HOME"]
	if runtime.GOOS == "windows" {
		t.Setenv("USERPROFILE", home)
		t.Setenv("APPDATA", filepath.Join(home, "AppData", "Roaming"))
		h.env["USERPROFILE"], h.env["APPDATA"] = home, filepath.Join(home, "AppData", "Roaming")
	}
	env := mcpconfig.Env{OS: runtime.GOOS, Home: home, Getenv: func(k string) string { return h.env[k] }}
	file := func(id string) string {
		cl, _ := mcpconfig.Lookup(id)
		return cl.File(env)
	}
	write := func(p, body string) {
		if !strings.HasPrefix(p, home) {
			t.Fatalf("%s is outside the test's home %s", p, home)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	esc := strings.NewReplacer("\x1b", `\u001b`, "\a", `\u0007`, "\r", `\r`, "\n", `\n`, "\u009b", `\u009b`).Replace
	write(file("cursor"), `{"mcpServers":{"anytype":{"command":"`+esc(hostileText)+`","args":[]}}}`)
	write(file("windsurf"), `{"mcpServers":{"anytype":{"command":"/usr/bin/anykey","args":["exec","--mask","--","`+esc(hostileText)+`","--","npx","-y","@anyproto/anytype-mcp"]}}}`)
	r := h.run(nil, "mcp", "--clients")
	// windsurf's entry is anykey's old exec --mask form (on Linux also
	// dead: there is no /usr/bin/anykey); its key name is shown clean.
	if r.code != 0 || !strings.Contains(r.stdout, "other (read") || !strings.Contains(r.stdout, "anykey (old exec --mask form), key read") {
		t.Errorf("--clients: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	wantClean(t, "mcp --clients", r.stdout, r.stderr)
	for _, args := range [][]string{{"mcp", "work", "--install", "cursor"}, {"mcp", "work", "--uninstall", "cursor"},
		{"mcp", "work", "--install", "windsurf"}} {
		r := h.run(nil, args...)
		if r.code == 0 {
			t.Errorf("%s: exit 0 over a foreign entry\n%s", strings.Join(args, " "), r.stderr)
		}
		wantClean(t, strings.Join(args, " "), r.stdout, r.stderr)
	}
}
