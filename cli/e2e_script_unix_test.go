//go:build unix

package cli

// exec of a script without a "#!" line: shells, env(1) and execvp(3) run it
// with /bin/sh, and so does anykey, plain and --mask; a binary for another
// machine is still "cannot run it", 126.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

func TestE2EExecScriptWithoutShebang(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	name := e.name("script")
	if r := e.run(strings.NewReader("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI=\n"), "add", "--no-verify", name); r.code != 0 {
		t.Fatalf("add: %d %q", r.code, r.stderr)
	}
	dir := filepath.Join(t.TempDir(), "with space")
	os.MkdirAll(dir, 0o755)
	script := filepath.Join(dir, "no-shebang")
	if err := os.WriteFile(script, []byte("echo \"$0|$1|$ANYTYPE_API_BASE_URL\"\nexit 7\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Not a script: binary bytes the kernel cannot run either.
	alien := filepath.Join(dir, "alien")
	if err := os.WriteFile(alien, []byte("\x7fELF\x01\x02\x03\x00\x00garbage\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, mode := range [][]string{{"exec"}, {"exec", "--mask"}} {
		args := append(append([]string{}, mode...), name, "--", script, "one arg")
		r := e.run(nil, args...)
		want := script + "|one arg|" + e.srv.URL() + "\n"
		if r.code != 7 || r.stdout != want || r.stderr != "" {
			t.Errorf("%v: exit %d, stdout %q (want %q), stderr %q", mode, r.code, r.stdout, want, r.stderr)
		}
		r = e.run(nil, append(append([]string{}, mode...), name, "--", alien)...)
		if r.code != 126 || !strings.Contains(r.stderr, "cannot run it") || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v of a foreign binary: exit %d, stderr %q", mode, r.code, r.stderr)
		}
	}
}
