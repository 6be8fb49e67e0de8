//go:build linux || freebsd || openbsd || netbsd || dragonfly

// Helpers of TestCopyDesktop: what the clipboard offers and holds, the
// processes that serve it, and where a key could be left behind.

package clip

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// offeredTypes lists the clipboard's targets (X11: xclip -t TARGETS) or
// MIME types (Wayland: wl-paste --list-types), as a clipboard manager
// sees them.
func offeredTypes(t *testing.T) []string {
	t.Helper()
	name, args := "xclip", []string{"-o", "-selection", "clipboard", "-t", "TARGETS"}
	if desktoptest.Wayland() {
		name, args = "wl-paste", []string{"--list-types"}
	}
	out, err := exec.CommandContext(t.Context(), name, args...).Output()
	if err != nil {
		return nil // no owner
	}
	return strings.Fields(string(out))
}

// readTarget reads the clipboard converted to one target or MIME type.
func readTarget(t *testing.T, target string) string {
	t.Helper()
	name, args := "xclip", []string{"-o", "-selection", "clipboard", "-t", target}
	if desktoptest.Wayland() {
		name, args = "wl-paste", []string{"--no-newline", "--type", target}
	}
	out, err := exec.CommandContext(t.Context(), name, args...).Output()
	if err != nil {
		t.Errorf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

func clipboardText(t *testing.T) string {
	t.Helper()
	out, err := desktoptest.ReadClipboard(t.Context())
	if err != nil {
		return "" // no owner: the selection is empty
	}
	return out
}

func waitFor(t *testing.T, limit time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// servers lists the clipboard servers this test process started that
// are running: Copy's server stays our child (it is reaped by Wait).
func servers(t *testing.T) map[int]bool {
	t.Helper()
	found := map[int]bool{}
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		cmdline, err := os.ReadFile(filepath.Join(p, "cmdline"))
		if err != nil {
			continue
		}
		args := strings.Split(string(cmdline), "\x00")
		status, _ := os.ReadFile(filepath.Join(p, "status"))
		if len(args) > 1 && args[1] == ServeCommand &&
			strings.Contains(string(status), fmt.Sprintf("\nPPid:\t%d\n", os.Getpid())) {
			pid, _ := strconv.Atoi(filepath.Base(p))
			found[pid] = true
		}
	}
	return found
}

// helpers lists the running clearing helpers of this test binary: the
// server starts them detached, so they are not our children.
func helpers() map[int]bool {
	found := map[int]bool{}
	self, err := os.Executable()
	if err != nil {
		return found
	}
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		cmdline, err := os.ReadFile(filepath.Join(p, "cmdline"))
		if err != nil {
			continue
		}
		args := strings.Split(string(cmdline), "\x00")
		if exe, _ := os.Readlink(filepath.Join(p, "exe")); len(args) > 1 && args[1] == HelperCommand && exe == self {
			pid, _ := strconv.Atoi(filepath.Base(p))
			found[pid] = true
		}
	}
	return found
}

// newHelper is the one helper started since before was taken, or 0.
func newHelper(before map[int]bool) int {
	var pids []int
	for pid := range helpers() {
		if !before[pid] {
			pids = append(pids, pid)
		}
	}
	if len(pids) != 1 {
		return 0
	}
	return pids[0]
}

// memCount counts the copies of secret in the memory of process pid: every
// readable mapping, through /proc/PID/mem (the same user, or root).
func memCount(pid int, secret string) (int, error) {
	maps, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return 0, err
	}
	mem, err := os.Open(fmt.Sprintf("/proc/%d/mem", pid))
	if err != nil {
		return 0, err
	}
	defer mem.Close()
	n, read := 0, 0
	for _, line := range strings.Split(string(maps), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || !strings.HasPrefix(f[1], "r") {
			continue
		}
		lo, hi, _ := strings.Cut(f[0], "-")
		a, err1 := strconv.ParseUint(lo, 16, 64)
		b, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || b-a > 1<<30 {
			continue
		}
		buf := make([]byte, b-a)
		k, _ := mem.ReadAt(buf, int64(a)) // [vvar] and the like do not read
		read += k
		n += bytes.Count(buf[:k], []byte(secret))
	}
	if read == 0 {
		return 0, fmt.Errorf("nothing of process %d's memory could be read", pid)
	}
	return n, nil
}

// zombie reports whether pid has ended and waits to be reaped.
func zombie(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	_, after, _ := strings.Cut(string(b), ") ")
	return strings.HasPrefix(after, "Z")
}

// newServer finds the one server started since before was taken.
func newServer(t *testing.T, before map[int]bool) int {
	t.Helper()
	var pids []int
	for pid := range servers(t) {
		if !before[pid] {
			pids = append(pids, pid)
		}
	}
	if len(pids) != 1 {
		t.Fatalf("%d new %s processes of this test, want 1", len(pids), ServeCommand)
	}
	return pids[0]
}

// assertNotOnDisk searches the places where clipboard tools and managers
// leave files (/tmp, $TMPDIR, ~/.cache, $XDG_RUNTIME_DIR) for secret, in
// every file written since the key was made (an older file cannot hold
// it; this keeps the walk over Go's build cache short).
func assertNotOnDisk(t *testing.T, when, secret string, since time.Time) {
	t.Helper()
	roots := []string{"/tmp", os.Getenv("TMPDIR"), os.Getenv("XDG_RUNTIME_DIR")}
	if home, err := os.UserHomeDir(); err == nil {
		roots = append(roots, filepath.Join(home, ".cache"))
	}
	if d, err := os.UserCacheDir(); err == nil {
		roots = append(roots, d)
	}
	slices.Sort(roots)
	roots = slices.Compact(roots)
	if roots[0] == "" {
		roots = roots[1:]
	}
	files, found := 0, 0
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			info, err := d.Info()
			if err != nil || info.ModTime().Before(since.Add(-time.Second)) || info.Size() > 64<<20 {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return nil
			}
			files++
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s: the key is on disk in %s", when, path)
				found++
			}
			return nil
		})
	}
	t.Logf("%s: searched %d files written since the copy under %q: the key is in %d", when, files, roots, found)
}

// assertNotInArgvOrEnv checks every process we can see: the helper got the
// secret on stdin only.
func assertNotInArgvOrEnv(t *testing.T, secret string) {
	t.Helper()
	procs, _ := filepath.Glob("/proc/[0-9]*")
	sawHelper := false
	for _, p := range procs {
		cmdline, err := os.ReadFile(filepath.Join(p, "cmdline"))
		if err != nil {
			continue
		}
		if strings.Contains(string(cmdline), HelperCommand) || strings.Contains(string(cmdline), ServeCommand) {
			sawHelper = true
		}
		environ, _ := os.ReadFile(filepath.Join(p, "environ"))
		if strings.Contains(string(cmdline), secret) || strings.Contains(string(environ), secret) {
			t.Errorf("the secret is in the argv or environment of %s", p)
		}
	}
	if !sawHelper {
		t.Errorf("no %s or %s process found running", HelperCommand, ServeCommand)
	}
}
