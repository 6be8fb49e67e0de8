package keystore

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadOnlyConfigDir saves into a config dir the process may not write
// to: a fresh one (no lock file yet) and one that already holds keys.json
// and its lock, where the keychain write succeeds and must be undone.
// Root ignores directory modes, so as root the test runs a child as
// nobody; otherwise it drops the write bit in-process.
func TestReadOnlyConfigDir(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		existing bool
	}{{"fresh dir", false}, {"dir with an index", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			base := worldReadableTempDir(t)
			dir := filepath.Join(base, "anykey")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if tc.existing {
				k := &Keyring{dir: dir, be: newMapBackend(), timeout: KeychainTimeout}
				if err := k.Set(t.Context(), testEntry("kept"), "s", false); err != nil {
					t.Fatal(err)
				}
				os.Chmod(filepath.Join(dir, indexName), 0o644)
				os.Chmod(filepath.Join(dir, lockName), 0o644)
			}
			if err := os.Chmod(dir, 0o555); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(dir, 0o700) })
			before, _ := os.ReadFile(filepath.Join(dir, indexName))

			var set childResult
			var secretsLeft int
			if os.Geteuid() == 0 {
				cmd := child(t, "probe", childDir+"="+dir, childName+"=fresh")
				cmd.Path = copyExecutable(t, base)
				cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
				out, err := cmd.Output()
				rep := parseReport(t, out, err)
				set, secretsLeft = rep["set"], rep["fake"].Secrets
			} else {
				be := newMapBackend()
				k := &Keyring{dir: dir, be: be, timeout: KeychainTimeout}
				set = result(k.Set(t.Context(), testEntry("fresh"), childSecret, false))
				secretsLeft = be.len()
			}
			t.Logf("Set: %s", set.Err)
			if !set.Permission || !strings.Contains(set.Err, "read-only") {
				t.Errorf("Set = %+v; want a permission error that says read-only", set)
			}
			if secretsLeft != 0 {
				t.Errorf("%d secrets left in the keychain after the failed Set", secretsLeft)
			}
			after, _ := os.ReadFile(filepath.Join(dir, indexName))
			if string(before) != string(after) {
				t.Errorf("keys.json changed from %q to %q", before, after)
			}
		})
	}
}

// worldReadableTempDir is a temp dir the nobody user can enter (t.TempDir
// is 0700 and owned by the test's user).
func worldReadableTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "keystore-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(p, 0o700)
			}
			return nil
		})
		os.RemoveAll(dir)
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// copyExecutable copies the test binary where nobody can run it.
func copyExecutable(t *testing.T, dir string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst := filepath.Join(dir, "keystore.test")
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, src); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}
