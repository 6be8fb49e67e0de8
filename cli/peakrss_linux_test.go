package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// rusageScript forks and execs its arguments, waits, writes the child's
// ru_maxrss (KiB) to $ANYKEY_TEST_RUSAGE_OUT and exits with its status. The
// child dies with the script (PR_SET_PDEATHSIG), so a killed run leaves no
// anykey behind.
const rusageScript = `import ctypes, os, signal, sys
pid = os.fork()
if pid == 0:
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    os.execv(sys.argv[1], sys.argv[1:])
_, st, ru = os.wait4(pid, 0)
with open(os.environ["ANYKEY_TEST_RUSAGE_OUT"], "w") as f:
    f.write(str(ru.ru_maxrss))
code = os.waitstatus_to_exitcode(st)
sys.exit(code if code >= 0 else 128 - code)
`

// peakRSS rewrites cmd so that it reports the peak resident memory of
// anykey itself, and returns a func that gives it in KiB once cmd has run
// (0 if it could not be read).
//
// Why not cmd.ProcessState's rusage: Linux charges a process that execs
// with the high-water mark of the memory it leaves (exec_mmap), and a child
// spawned by Go shares this test binary's memory until it execs. Under
// -race this binary is over 200 MB, so every child read as that large
// whatever it did (seen in CI: 207 MB for a 1 s run). Forked from a small
// python3 instead, anykey's ru_maxrss is its own.
func peakRSS(t *testing.T, cmd *exec.Cmd) func() int64 {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 (python3-minimal) is needed to measure anykey's memory: %v", err)
	}
	out := filepath.Join(t.TempDir(), "rusage")
	cmd.Args = append([]string{py, "-c", rusageScript, cmd.Path}, cmd.Args[1:]...)
	cmd.Path = py
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, "ANYKEY_TEST_RUSAGE_OUT="+out)
	return func() int64 {
		b, err := os.ReadFile(out)
		if err != nil {
			return 0
		}
		n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		return n
	}
}
