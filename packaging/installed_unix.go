//go:build unix

package packaging

import (
	"io/fs"
	"syscall"
)

// othersCanWrite: world-writable, or group-writable by a group other than
// the user's own primary group.
func othersCanWrite(fi fs.FileInfo, myGID int) bool {
	perm := fi.Mode().Perm()
	if perm&0o002 != 0 {
		return true
	}
	if perm&0o020 == 0 {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return !ok || int(st.Gid) != myGID
}
