package busdial

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

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
// connected Unix socket of the process is checked. Only Unix sockets get
// here: [checkTransport] refused any other transport before the dial.
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

// checkTransport refuses an address list with an entry that is not a
// Unix socket before anything is dialed (see [TransportError]).
func checkTransport(addr string) error { return unixOnly(addr) }

// probeWait bounds one probe's connect in [foreignListener].
const probeWait = time.Second

// foreignListener tells, before godbus dials, whether another user
// listens at one of the Unix sockets of the address list. Without it a
// session bus of another user with the default policy, which refuses
// anykey's EXTERNAL authentication, would be reported only as godbus's
// failure ("no bus"), and a silent one after the handshake deadline; and
// a bus that lets anyone in would see anykey's authentication and Hello
// before the check of the connection closed it. Each Unix entry is
// connected to and closed again, sending nothing: the peer credentials
// of a connected Unix socket are those of the process that listens
// (unix(7), SO_PEERCRED). A path that cannot be connected to (EACCES: the
// socket or its directory is another user's; EAGAIN: the listener's
// backlog is full) is judged by the socket file's owner. It returns a *[ForeignError] for the first entry another
// user runs, else nil. A nil is no proof, the listener can change after
// it: [checkBusOwner] checks the connection godbus makes.
func foreignListener(addr string) error {
	me := uint32(os.Geteuid())
	for _, a := range parseAddrs(addr) {
		if a.transport != "unix" {
			continue
		}
		target := a.params["path"]
		if ab, ok := a.params["abstract"]; ok && target == "" {
			target = "@" + ab // Go's name for the abstract namespace
		}
		if target == "" {
			continue
		}
		uid, ok := listenerUID(target)
		if ok && uid != me {
			return &ForeignError{What: fmt.Sprintf("the D-Bus session bus at %q", shownAddr(addr)), UID: uid}
		}
	}
	return nil
}

// listenerUID is the user of the process listening at target (a path, or
// "@name" in the abstract namespace); ok is false when it cannot be told.
func listenerUID(target string) (uid uint32, ok bool) {
	c, err := net.DialTimeout("unix", target, probeWait)
	if err != nil {
		// Not allowed in (EACCES), or a listener that takes no connection
		// now (EAGAIN: its backlog is full; it may take godbus's a moment
		// later): judged by who made the socket file.
		var st unix.Stat_t
		if (errors.Is(err, fs.ErrPermission) || errors.Is(err, unix.EAGAIN)) &&
			!strings.HasPrefix(target, "@") && unix.Stat(target, &st) == nil {
			return st.Uid, true
		}
		return 0, false
	}
	defer c.Close()
	raw, err := c.(*net.UnixConn).SyscallConn()
	if err != nil {
		return 0, false
	}
	var cred *unix.Ucred
	raw.Control(func(fd uintptr) {
		cred, err = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	})
	if err != nil || cred == nil {
		return 0, false
	}
	return cred.Uid, true
}
