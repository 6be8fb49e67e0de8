//go:build unix

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// untaggedBinary builds anykey as shipped (without the anykey_e2e tag),
// into the temp dir, once per test run: only anykey_testkeychain, so that
// even a refusal that failed would read the tests' keychain service, not
// the user's.
var untaggedBinary = func() func(t *testing.T) string {
	var (
		once sync.Once
		bin  string
		err  error
	)
	return func(t *testing.T) string {
		t.Helper()
		once.Do(func() {
			var dir string
			if dir, err = os.MkdirTemp("", "anykey-untagged-"); err != nil {
				return
			}
			addCleanupDir(dir)
			bin = filepath.Join(dir, "anykey")
			if out, berr := exec.Command("go", "build", "-tags", "anykey_testkeychain", "-o", bin, "..").CombinedOutput(); berr != nil {
				err = fmt.Errorf("go build: %v\n%s", berr, out)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		return bin
	}
}()

// TestMCPRefusesTempBinary (no desktop needed, so not a TestE2E that every
// desktop cell runs again): a shipped (untagged) anykey run from the
// temp dir, and `go run .`, refuse to make an MCP entry, printed or
// installed, with start at login's hint, before touching the keychain, and
// write no client file.
func TestMCPRefusesTempBinary(t *testing.T) {
	bin := untaggedBinary(t)
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, "cfg"), "PATH=" + os.Getenv("PATH"),
		"GOCACHE=" + os.Getenv("GOCACHE"), "GOPATH=" + os.Getenv("GOPATH"), "GOFLAGS=" + os.Getenv("GOFLAGS")}
	if c, err := exec.Command("go", "env", "GOCACHE").Output(); err == nil {
		env[3] = "GOCACHE=" + strings.TrimSpace(string(c))
	}
	// go run links into a go-build dir in the temp dir, or, once cached,
	// names a build-cache copy: both are refused.
	reasons := []string{"which is in the temp dir", "which was built by go run or go test"}
	for _, run := range []struct {
		name string
		argv []string
		args [][]string
	}{
		{"temp binary", []string{bin}, [][]string{{"mcp", "work"}, {"mcp", "work", "--install", "cursor"}, {"mcp", "work", "--client", "codex"}}},
		{"go run", []string{"go", "run", "-tags", "anykey_testkeychain", ".."}, [][]string{{"mcp", "work", "--install", "cursor"}}},
	} {
		for _, args := range run.args {
			cmd := exec.Command(run.argv[0], append(run.argv[1:], args...)...)
			cmd.Env = env
			r := runAnykey(t, cmd)
			if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "an MCP client entry must not start ") ||
				!strings.Contains(r.stderr, reasons[0]) && !strings.Contains(r.stderr, reasons[1]) ||
				!strings.Contains(r.stderr, "hint: install anykey first") || strings.Contains(r.stderr, "no key named") {
				t.Errorf("%s %q: %d %q %q", run.name, args, r.code, r.stdout, r.stderr)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(home, ".cursor")); err == nil {
		t.Error("a client file was written")
	}
}
