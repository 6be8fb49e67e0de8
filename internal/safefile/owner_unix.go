//go:build unix

package safefile

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// CheckOwner returns an error wrapping [ErrNotOwned] unless fi (from the
// opened file, or from Lstat) belongs to the user anykey runs as. The owner
// of a file or directory can change it whatever its mode, so one that
// belongs to someone else is not anykey's to trust.
func CheckOwner(path string, fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) == os.Geteuid() {
		return nil
	}
	owner := strconv.FormatUint(uint64(st.Uid), 10)
	if u, err := user.LookupId(owner); err == nil {
		owner = u.Username
	}
	return fmt.Errorf("%s: %w (it belongs to user %s)", path, ErrNotOwned, owner)
}
