package packaging

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestNotInstalledReason covers each class of binary a login entry must not
// name, on real directories with real modes.
func TestNotInstalledReason(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("mode bits")
	}
	root := t.TempDir()
	mk := func(dir string, mode os.FileMode) string {
		p := filepath.Join(root, dir)
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		exe := filepath.Join(p, "anykey")
		if err := os.WriteFile(exe, nil, 0o755); err != nil {
			t.Fatal(err)
		}
		return exe
	}
	fake := filepath.Join(root, "faketmp")
	good := mk("home/u/bin", 0o755)
	os.Chmod(filepath.Join(root, "home"), 0o755)
	os.Chmod(filepath.Join(root, "home/u"), 0o700)
	worldDir := mk("shared", 0o777)
	stickyDir := mk("stickytmp", os.ModeSticky|0o777)
	groupOther := mk("grp", 0o775)
	// A group other than ours owns it: only root can chown, else skip.
	groupErr := os.Chown(filepath.Dir(groupOther), -1, os.Getgid()+1)
	writable := mk("home/u/bin2", 0o755)
	os.Chmod(writable, 0o777)
	for _, tc := range []struct{ exe, want string }{
		{good, ""},
		{filepath.Join(fake, "go-build123", "b001", "exe", "anykey"), "temp dir"},
		{filepath.Join(root, "home/u/.cache/go-build/ab/cd-d", "anykey"), "go run or go test"},
		{filepath.Join(root, "home/u/bin", "anykey.test"), "go test binary"},
		{filepath.Join(root, "home/u/bin", "cli.test.exe"), "go test binary"},
		{worldDir, "which other users can write to"},
		{stickyDir, "where every user can create files"},
		{writable, "can be changed by other users"},
	} {
		got := notInstalledReason(tc.exe, []string{filepath.Clean(root + "/../nothing-here"), fake}, os.Getgid())
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.exe, got, tc.want)
		}
	}
	if groupErr == nil {
		if got := notInstalledReason(groupOther, nil, os.Getgid()); !strings.Contains(got, "other users can write") {
			t.Errorf("group-writable dir of another group: %q", got)
		}
		os.Chown(filepath.Dir(groupOther), -1, os.Getgid())
		if got := notInstalledReason(groupOther, nil, os.Getgid()); got != "" {
			t.Errorf("group-writable dir of our own group: %q", got)
		}
	}
	// The test binary itself (go test's build dir, in the temp dir) is
	// refused by the real check, which is what `go run . autostart on` hits.
	err := CheckInstalled()
	var ni *NotInstalledError
	if !errors.As(err, &ni) || !errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), "packaging.test") {
		t.Errorf("CheckInstalled() from go test = %v", err)
	}
}
