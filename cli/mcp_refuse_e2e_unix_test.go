//go:build unix

package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EMCPRefusesTempBinary: a shipped (untagged) anykey run from the
// temp dir, and `go run .`, refuse to make an MCP entry, printed or
// installed, with start at login's hint, before touching the keychain, and
// write no client file.
func TestE2EMCPRefusesTempBinary(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "anykey")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
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
		{"go run", []string{"go", "run", ".."}, [][]string{{"mcp", "work", "--install", "cursor"}}},
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
