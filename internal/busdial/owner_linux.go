package busdial

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// unixSockets returns this process's Unix domain sockets: inode to fd.
func unixSockets() map[uint64]int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return nil
	}
	out := map[uint64]int{}
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		var st unix.Stat_t
		if unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFSOCK {
			continue
		}
		if d, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_DOMAIN); err != nil || d != unix.AF_UNIX {
			continue
		}
		out[st.Ino] = fd
	}
	return out
}

// checkBusOwner checks who runs the bus at addr that a connection just made
// reaches: the peer credentials (SO_PEERCRED, taken by the kernel when the
// bus accepted the connection) of each Unix socket that appeared since
// before (a [unixSockets] snapshot) must be this user's. Reading them from
// the connected socket, not from the path, leaves nothing to race. With no
// new socket (the connection was already up before the snapshot) every
// connected Unix socket of the process is checked. A bus over TCP has no
// peer credentials and is not checked.
func checkBusOwner(addr string, before map[uint64]int) error {
	now := unixSockets()
	fds := make([]int, 0, 2)
	for ino, fd := range now {
		if _, old := before[ino]; !old {
			fds = append(fds, fd)
		}
	}
	if len(fds) == 0 {
		for _, fd := range now {
			fds = append(fds, fd)
		}
	}
	me := uint32(os.Geteuid())
	for _, fd := range fds {
		cred, err := unix.GetsockoptUcred(fd, unix.SOL_SOCKET, unix.SO_PEERCRED)
		if err != nil || cred.Pid == 0 && cred.Uid == ^uint32(0) {
			continue // not connected (a listener, a closed peer)
		}
		if cred.Uid != me {
			return &ForeignError{What: fmt.Sprintf("the D-Bus session bus at %q", shownAddr(addr)), UID: cred.Uid}
		}
	}
	return nil
}
