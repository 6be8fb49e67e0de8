//go:build unix

package npx

import (
	"os"
	"path/filepath"
	"syscall"
)

// replaceable says why the npx at p may be another user's program, or ""
// when it is not: the npx found gets the key in its environment. Checked,
// on p's own directories and on those it resolves to: the file or a
// directory is writable by every user (without the sticky bit, for a
// directory), or a directory in a sticky one that every user can write to
// (/tmp) belongs to another user, who could make it again after boot
// cleaned it (fnm's per-shell directories live in /tmp). Group-writable
// directories are left alone: Homebrew's belong to the admin group.
func replaceable(p string) string {
	if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o002 != 0 {
		return p + " can be changed by every user"
	}
	paths := []string{p}
	if r, err := filepath.EvalSymlinks(p); err == nil && r != p {
		paths = append(paths, r)
	}
	me := os.Geteuid()
	for _, path := range paths {
		child := path
		for d := filepath.Dir(path); ; child, d = d, filepath.Dir(d) {
			fi, err := os.Stat(d)
			if err != nil {
				return "anykey cannot check " + d
			}
			if fi.Mode().Perm()&0o002 != 0 {
				if fi.Mode()&os.ModeSticky == 0 {
					return p + " is under " + d + ", which every user can write to"
				}
				if cf, err := os.Lstat(child); err != nil {
					return "anykey cannot check " + child
				} else if st, ok := cf.Sys().(*syscall.Stat_t); !ok || (int(st.Uid) != me && st.Uid != 0) {
					return p + " is under " + child + ", which another user made in " + d
				}
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return ""
}
