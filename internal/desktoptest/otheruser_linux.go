package desktoptest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// OtherUser is the account a test's hostile party runs as: "nobody", which
// every Debian system has and which owns nothing the test uses.
const OtherUser = "nobody"

// RequireOtherUser skips unless the test can start a process as
// [OtherUser]: that takes root and setpriv (util-linux). Under CI (which
// runs as root) it fails instead, so the hostile-party tests never pass by
// skipping.
func RequireOtherUser(t testing.TB) {
	t.Helper()
	why := ""
	if os.Geteuid() != 0 {
		why = "needs root to run a process as " + OtherUser
	} else if _, err := exec.LookPath("setpriv"); err != nil {
		why = "setpriv is not installed (util-linux)"
	}
	if why == "" {
		return
	}
	if InCI() {
		t.Fatalf("another-user test cannot run under CI: %s", why)
	}
	t.Skipf("another-user test: %s", why)
}

// AsOtherUser returns a command that runs this test binary's test named
// run (a -test.run pattern) as [OtherUser]:nogroup with no supplementary
// groups and only env. The binary is copied first into a directory that
// user can read, since the go tool's build dir is root's alone.
func AsOtherUser(t testing.TB, run string, env ...string) *exec.Cmd {
	t.Helper()
	dir, err := os.MkdirTemp("", "anykey-otheruser-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "otheruser.test")
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("setpriv", "--reuid="+OtherUser, "--regid=nogroup", "--clear-groups",
		bin, "-test.run="+run, "-test.count=1")
	cmd.Env = append([]string{"PATH=/usr/bin:/bin", "HOME=" + dir}, env...)
	cmd.Dir = dir
	return cmd
}
