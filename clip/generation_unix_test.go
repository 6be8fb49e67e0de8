//go:build unix

package clip

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestGenerationFilePlanted: the generation file is read under the
// clipboard lock, by every clear. Something other than anykey's own
// small file at its path — a FIFO, a symlink — must neither hang the
// read nor be followed.
func TestGenerationFilePlanted(t *testing.T) {
	dir := t.TempDir()
	old := genPath
	genPath = func() string { return filepath.Join(dir, genFileName) }
	t.Cleanup(func() { genPath = old })

	if err := syscall.Mkfifo(genPath(), 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan bool, 1)
	go func() { done <- superseded("0123456789abcdef") }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		// Unblock the reader before failing: open the FIFO for writing.
		if f, err := os.OpenFile(genPath(), os.O_WRONLY, 0); err == nil {
			f.Close()
		}
		t.Fatal("reading the generation file hangs on a FIFO planted there")
	}
	os.Remove(genPath())

	// A symlink to a file that holds some other generation: not followed,
	// so it proves nothing (not superseded).
	other := filepath.Join(dir, "elsewhere")
	if err := os.WriteFile(other, []byte("fedcba9876543210"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(other, genPath()); err != nil {
		t.Fatal(err)
	}
	if superseded("0123456789abcdef") {
		t.Error("a symlink at the generation file's path was followed")
	}
}

// TestGenerationDirTrusted: $XDG_RUNTIME_DIR holds the generation and
// lock files only when it is the user's own and nobody else can write in
// it; a shared directory (some set it to /tmp) would let another user
// plant them, or hold the lock for every copy.
func TestGenerationDirTrusted(t *testing.T) {
	shared := t.TempDir()
	if err := os.Chmod(shared, 0o1777); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", shared)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	if p := genPath(); strings.HasPrefix(p, shared+string(filepath.Separator)) {
		t.Errorf("the generation file is in a directory everyone can write in: %s", p)
	}
	own := t.TempDir()
	if err := os.Chmod(own, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", own)
	if p := genPath(); p != filepath.Join(own, genFileName) {
		t.Errorf("genPath() = %s, want it in the user's own XDG_RUNTIME_DIR %s", p, own)
	}
}
