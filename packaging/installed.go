package packaging

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// ErrNotInstalled: start at login was refused because the running binary
// will vanish or can be replaced by someone else (see [NotInstalledError]).
var ErrNotInstalled = errors.New("start at login needs an installed anykey")

// NotInstalledError says why the running binary is no place for a login
// entry to point at. It unwraps to [ErrNotInstalled].
type NotInstalledError struct {
	Path   string // the executable
	Reason string // "it is in the temp dir", ...
}

func (e *NotInstalledError) Error() string {
	return fmt.Sprintf("%v: %s %s", ErrNotInstalled, e.Path, e.Reason)
}

// InstallFirst is the first half of [InstallHint], for the other entries
// that start anykey later (MCP clients' entries).
const InstallFirst = "install anykey first (a package, go install, or a copy in ~/.local/bin)"

// InstallHint is what to do about a [NotInstalledError], for messages.
const InstallHint = InstallFirst + ", then turn start at login on from the installed anykey"

func (e *NotInstalledError) Unwrap() error { return ErrNotInstalled }

// checkInstalled refuses an executable that a login entry must not name:
// one under the temp dir (cleaned at boot; another user can create the
// same path later and run code at this user's every login), one that
// go run or go test built (a go-build* dir, or a *.test binary), and one
// in a directory, or under one, that other users can write without the
// sticky bit (they could replace it). It is a variable for the tests of
// the autostart files themselves, which run from go test's build dir.
var checkInstalled = func(exe string) error {
	temps := tempDirs()
	if tempBinaryAllowed {
		temps = nil
	}
	if reason := notInstalledReason(exe, temps, os.Getgid()); reason != "" {
		return &NotInstalledError{Path: exe, Reason: reason}
	}
	return nil
}

// tempDirs are the system's temp dirs, symlinks resolved.
func tempDirs() []string {
	dirs := []string{os.TempDir()}
	if runtime.GOOS != "windows" {
		dirs = append(dirs, "/tmp", "/var/tmp", "/dev/shm")
	}
	out := dirs[:0:0]
	for _, d := range dirs {
		if r, err := filepath.EvalSymlinks(d); err == nil {
			d = r
		}
		out = append(out, filepath.Clean(d))
	}
	return out
}

// notInstalledReason returns why exe (absolute, symlinks resolved) is not
// installed, or "". myGID is this user's primary group: a directory
// writable only by it is fine (user private groups, umask 002).
func notInstalledReason(exe string, temps []string, myGID int) string {
	for _, t := range temps {
		if within(exe, t) {
			return "is in the temp dir " + t
		}
	}
	if base := strings.TrimSuffix(strings.ToLower(filepath.Base(exe)), ".exe"); strings.HasSuffix(base, ".test") {
		return "is a go test binary"
	}
	for d := filepath.Dir(exe); ; d = filepath.Dir(d) {
		if strings.HasPrefix(filepath.Base(d), "go-build") {
			return "was built by go run or go test (" + d + ")"
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if runtime.GOOS == "windows" {
		return "" // ACLs, not mode bits: the temp dir and build dirs are what is checked
	}
	if fi, err := os.Stat(exe); err == nil && othersCanWrite(fi, myGID) {
		return "can be changed by other users"
	}
	for d := filepath.Dir(exe); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return "is in a directory anykey cannot check (" + d + ")"
		}
		if fi.Mode()&os.ModeSticky != 0 && fi.Mode().Perm()&0o002 != 0 && d == filepath.Dir(exe) {
			// /tmp-like: others cannot replace the file, but can make the
			// same name once it is gone.
			return "is in " + d + ", where every user can create files"
		}
		if fi.Mode()&os.ModeSticky == 0 && othersCanWrite(fi, myGID) {
			return "is under " + d + ", which other users can write to"
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return ""
}

func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && rel != "."
}
