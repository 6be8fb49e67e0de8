//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runBounded is h.run, failing the test if it takes over 10 s.
func runBounded(t *testing.T, h *harness, args ...string) result {
	t.Helper()
	ch := make(chan result, 1)
	go func() { ch <- h.run(nil, args...) }()
	select {
	case r := <-ch:
		return r
	case <-time.After(10 * time.Second):
		t.Fatalf("anykey %s hangs", strings.Join(args, " "))
		return result{}
	}
}

// oneMessage fails unless stderr is one "anykey:" line and hints.
func oneMessage(t *testing.T, what, stderr string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "anykey: ") || strings.HasPrefix(lines[0], "anykey: hint:") {
		t.Errorf("%s: want one anykey: line and a hint, got:\n%s", what, stderr)
		return
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "anykey: hint: ") {
			t.Errorf("%s: a second message line %q:\n%s", what, l, stderr)
		}
	}
}

// TestMCPInstallOddFiles: --install into a path that is a FIFO, a
// directory, a symlink to a device, or a file too large, fails at once
// with one message and a hint, and changes nothing; --clients names it.
func TestMCPInstallOddFiles(t *testing.T) {
	t.Parallel()
	kinds := map[string]func(t *testing.T, file string){
		"fifo":      func(t *testing.T, file string) { syscall.Mkfifo(file, 0o600) },
		"directory": func(t *testing.T, file string) { os.Mkdir(file, 0o700) },
		"symlink to a null device": func(t *testing.T, file string) {
			dev := filepath.Join(t.TempDir(), "null")
			if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
				t.Skipf("mknod needs root: %v", err)
			}
			os.Symlink(dev, file)
		},
		"too large": func(t *testing.T, file string) {
			f, _ := os.Create(file)
			f.Truncate(1 << 30)
			f.Close()
		},
	}
	for name, mk := range kinds {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h, _ := mcpHarness(t)
			file := filepath.Join(h.env["HOME"], ".cursor", "mcp.json")
			os.MkdirAll(filepath.Dir(file), 0o700)
			mk(t, file)
			before, _ := os.Lstat(file)
			r := runBounded(t, h, "mcp", "work", "--install", "cursor")
			if r.code != 1 || !strings.Contains(r.stderr, file) {
				t.Errorf("exit %d: %s", r.code, r.stderr)
			}
			oneMessage(t, name, r.stderr)
			if after, _ := os.Lstat(file); !os.SameFile(before, after) {
				t.Error("the path was replaced")
			}
			r = runBounded(t, h, "mcp", "--clients")
			if r.code != 0 || !strings.Contains(r.stdout, "not a regular file") && !strings.Contains(r.stdout, "too large") {
				t.Errorf("--clients: %d %s %s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

// TestMCPWithoutHome: with HOME unset or relative, nothing is read or
// written relative to the working directory.
func TestMCPWithoutHome(t *testing.T) {
	if os.Getenv("HOME") == "" {
		t.Skip("the process itself has no HOME")
	}
	// clientEnv falls back to the OS's home lookup, which reads the
	// process's HOME: blank it for this test (so: not parallel).
	t.Setenv("HOME", "")
	for _, home := range []string{"", "relative/home"} {
		h, _ := mcpHarness(t)
		h.env["HOME"] = home
		wd, _ := os.Getwd()
		r := runBounded(t, h, "mcp", "--clients")
		if r.code != 1 || !strings.Contains(r.stderr, "HOME is not set") {
			t.Errorf("HOME=%q --clients: %d %s", home, r.code, r.stderr)
		}
		oneMessage(t, "--clients", r.stderr)
		r = runBounded(t, h, "mcp", "work", "--install", "cursor")
		if r.code != 1 || !strings.Contains(r.stderr, "not an absolute path") {
			t.Errorf("HOME=%q --install: %d %s", home, r.code, r.stderr)
		}
		oneMessage(t, "--install", r.stderr)
		if _, err := os.Stat(filepath.Join(wd, ".cursor")); err == nil {
			t.Fatal("--install wrote into the working directory")
		}
	}
}
