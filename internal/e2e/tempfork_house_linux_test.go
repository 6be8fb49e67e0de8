package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTempforkPinsCatchDrift: scripts/tempfork.sh pins (the first part of
// CI's tempfork check) fails when go.mod and the forks part ways: a
// forked module required at another version (go get -u, a security
// release) while the replace keeps the build on the old fork, a replace
// dropped, or a replace into tempfork/ the script does not check. It runs
// on a copy of go.mod beside a copy of the script; go mod edit reads the
// file only, so nothing is downloaded.
func TestTempforkPinsCatchDrift(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	script, err := os.ReadFile(filepath.Join(root, "scripts", "tempfork.sh"))
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		edit []string // go mod edit arguments; none: go.mod as it is
		want string   // in the output; "" means success
	}{
		{"as is", nil, ""},
		{"require bumped", []string{"-require=github.com/modelcontextprotocol/go-sdk@v1.99.0"},
			"go.mod requires github.com/modelcontextprotocol/go-sdk v1.99.0, but tempfork/go-sdk is v1.8.0"},
		{"replace dropped", []string{"-dropreplace=fyne.io/systray"},
			"go.mod replaces fyne.io/systray with nothing, not ./tempfork/systray"},
		{"replace elsewhere", []string{"-replace=github.com/godbus/dbus/v5=../dbus"},
			"go.mod replaces github.com/godbus/dbus/v5 with ../dbus, not ./tempfork/dbus"},
		{"unchecked fork", []string{"-replace=example.com/other=./tempfork/other"},
			"go.mod replaces example.com/other with a directory in tempfork/ that scripts/tempfork.sh does not check"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "scripts"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "scripts", "tempfork.sh"), script, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "go.mod"), gomod, 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.edit != nil {
				edit := exec.Command("go", append([]string{"mod", "edit"}, tc.edit...)...)
				edit.Dir = dir
				if out, err := edit.CombinedOutput(); err != nil {
					t.Fatalf("go mod edit: %v\n%s", err, out)
				}
			}
			cmd := exec.Command("bash", "scripts/tempfork.sh", "pins")
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("pins failed on go.mod as it is: %v\n%s", err, out)
			case tc.want != "" && err == nil:
				t.Errorf("pins passed; want it to say %q\n%s", tc.want, out)
			case tc.want != "" && !strings.Contains(string(out), tc.want):
				t.Errorf("pins said %q; want %q", out, tc.want)
			}
		})
	}
}
