package harden

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestNoCoreDumps runs in a child process, since the flags cannot be undone.
func TestNoCoreDumps(t *testing.T) {
	if os.Getenv("HARDEN_CHILD") == "1" {
		restore, err := NoCoreDumps()
		if err != nil {
			t.Fatal(err)
		}
		var lim unix.Rlimit
		unix.Getrlimit(unix.RLIMIT_CORE, &lim)
		if lim.Cur != 0 {
			t.Fatalf("RLIMIT_CORE soft = %d", lim.Cur)
		}
		if d, err := Dumpable(); err != nil || d {
			t.Fatalf("dumpable = %v, %v", d, err)
		}
		restore()
		unix.Getrlimit(unix.RLIMIT_CORE, &lim)
		out, err := exec.Command("sh", "-c", "ulimit -c").CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v %s", err, out)
		}
		if got := strings.Fields(string(out))[0]; got != os.Getenv("HARDEN_WANT_LIMIT") {
			t.Fatalf("child's core limit %q, want %s", got, os.Getenv("HARDEN_WANT_LIMIT"))
		}
		if d, _ := Dumpable(); d {
			t.Fatal("restore made the process dumpable again")
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoCoreDumps$", "-test.count=1")
	// Give the child a known core limit to restore.
	cmd.Env = append(os.Environ(), "HARDEN_CHILD=1", "HARDEN_WANT_LIMIT=1000")
	cmd.Path = "/bin/sh"
	cmd.Args = []string{"sh", "-c", `ulimit -c 1000 && exec "$0" "$@"`, os.Args[0], "-test.run=^TestNoCoreDumps$", "-test.count=1"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
