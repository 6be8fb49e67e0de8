package auth

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"
)

// procNetFiles are the kernel's TCP socket tables of this process's network
// namespace; a socket line carries its owner's uid (proc(5)).
var procNetFiles = []string{"/proc/net/tcp", "/proc/net/tcp6"}

// listenerOwner returns the owner of the socket at the other end of the
// connection from local to remote: the one anykey would write to.
//
// /proc/net/tcp{,6} list that socket too (its local address is remote,
// its remote address local). Its uid is the listener's owner from the
// moment the kernel creates it (Linux 6.x), or, on older kernels, root
// until the server calls accept(2) and then the accepting process's user;
// its inode is 0 until accept. A root line with inode 0 sits in the accept
// queue of the listener that took the connection, so the owner of the
// listening socket(s) in the same read is asked (pickListeners). That read
// cannot miss the listener: the kernel lists a table's listening sockets
// before its connections (tcp_seq_start walks the listening hash first),
// a queued connection is in the table of its listener's family, and a
// listener closed before its queue was accepted resets the connections in
// it, which then are no longer there to be found.
//
// Matching the connection, not only the listener, is what stops another
// user from accepting, closing its listener and letting a program of this
// user rebind the port before the lookup (issue 21).
func listenerOwner(local, remote netip.AddrPort) (owner, error) {
	ts, err := readTables()
	if err != nil {
		return owner{}, err
	}
	peer, ok := findPeer(ts, local, remote)
	for wait := time.Millisecond; !ok && wait <= peerWait; wait *= 2 {
		// On loopback the server's half appears when the kernel has
		// handled the handshake's last ACK, which may be just after
		// connect(2) returned.
		time.Sleep(wait)
		if ts, err = readTables(); err != nil {
			return owner{}, err
		}
		peer, ok = findPeer(ts, local, remote)
	}
	if !ok {
		return owner{}, fmt.Errorf("the connection %s -> %s is not in %s", local, remote, strings.Join(procNetFiles, " or "))
	}
	if peer.inode != 0 || peer.uid != 0 {
		// Accepted; or queued on a kernel that gives a new connection its
		// listener's uid (6.x does; older ones say root until accept).
		return uidOwner(peer.uid), nil
	}
	return queuedOwner(ts, remote)
}

// peerWait bounds the wait for the server's half of a new connection to
// show in /proc/net/tcp (doubling from 1 ms: about 1 s in all, spent only
// when the kernel is slow to handle the handshake's last ACK, e.g. on a
// loaded machine whose softirqs run late).
const peerWait = 512 * time.Millisecond

// queuedOwner is the owner of the listening socket(s) that may hold a
// connection to remote in their accept queue; every one must be the same
// user's for it to count as that user's.
func queuedOwner(ts []socketLine, remote netip.AddrPort) (owner, error) {
	var ls []listening
	var uids []uint32
	for _, l := range ts {
		if l.state == stateListen {
			ls, uids = append(ls, l.local), append(uids, l.uid)
		}
	}
	idx := pickListeners(ls, remote)
	if len(idx) == 0 {
		return owner{}, fmt.Errorf("no listening socket for %s in %s", remote, strings.Join(procNetFiles, " or "))
	}
	me := uint32(os.Geteuid())
	for _, i := range idx {
		if uids[i] != me {
			return uidOwner(uids[i]), nil
		}
	}
	return owner{id: strconv.FormatUint(uint64(me), 10), mine: true}, nil
}

// findPeer finds the server's half of the connection from local to remote:
// a socket whose local address is remote and whose remote address is local,
// in a state that still carries data to a reader (established, or closing
// on the client's side). TIME_WAIT and the like belong to an older
// connection on the same ports.
func findPeer(ts []socketLine, local, remote netip.AddrPort) (socketLine, bool) {
	for _, l := range ts {
		if l.state != stateEstablished && l.state != stateCloseWait {
			continue
		}
		if l.local.addr == remote.Addr() && l.local.port == remote.Port() &&
			l.remote.addr == local.Addr() && l.remote.port == local.Port() {
			return l, true
		}
	}
	return socketLine{}, false
}

// TCP states as /proc/net/tcp prints them (include/net/tcp_states.h).
const (
	stateEstablished = 0x01
	stateCloseWait   = 0x08
	stateListen      = 0x0A
)

// readTables reads both tables; a missing tcp6 (IPv6 disabled) is no error.
func readTables() ([]socketLine, error) {
	var ts []socketLine
	for _, f := range procNetFiles {
		l, err := readProcNet(f)
		if err != nil && !(errors.Is(err, os.ErrNotExist) && strings.HasSuffix(f, "6")) {
			return nil, err
		}
		ts = append(ts, l...)
	}
	return ts, nil
}

func uidOwner(uid uint32) owner {
	o := owner{id: strconv.FormatUint(uint64(uid), 10), mine: uid == uint32(os.Geteuid())}
	if u, err := user.LookupId(o.id); err == nil {
		o.name = u.Username
	}
	return o
}

// maxProcNetLine bounds one line of /proc/net/tcp (about 150 bytes).
const maxProcNetLine = 4096

// socketLine is one socket of /proc/net/tcp{,6}.
type socketLine struct {
	local, remote listening
	state         uint8
	uid           uint32
	inode         uint64 // 0 while no process holds the socket (not yet accepted)
}

// readProcNet returns the sockets of one table. The format is proc(5)'s:
// "sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...", addresses
// as hex words in host byte order, ports as big-endian hex.
func readProcNet(path string) ([]socketLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 512), maxProcNetLine)
	var ts []socketLine
	first := true
	for sc.Scan() {
		if first { // header
			first = false
			continue
		}
		fs := strings.Fields(sc.Text())
		if len(fs) < 10 {
			continue
		}
		var l socketLine
		var err error
		if l.local, err = parseProcAddr(fs[1]); err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		if l.remote, err = parseProcAddr(fs[2]); err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		st, err := strconv.ParseUint(fs[3], 16, 8)
		if err != nil {
			return nil, fmt.Errorf("reading %s: bad state %q", path, fs[3])
		}
		uid, err := strconv.ParseUint(fs[7], 10, 32)
		if err != nil {
			return nil, fmt.Errorf("reading %s: bad uid %q", path, fs[7])
		}
		inode, err := strconv.ParseUint(fs[9], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("reading %s: bad inode %q", path, fs[9])
		}
		l.state, l.uid, l.inode = uint8(st), uint32(uid), inode
		ts = append(ts, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return ts, nil
}

// parseProcAddr parses "0100007F:7A29" or the 32-hex-digit IPv6 form.
func parseProcAddr(s string) (listening, error) {
	hexAddr, hexPort, ok := strings.Cut(s, ":")
	if !ok {
		return listening{}, fmt.Errorf("bad address %q", s)
	}
	port, err := strconv.ParseUint(hexPort, 16, 16)
	if err != nil {
		return listening{}, fmt.Errorf("bad port in %q", s)
	}
	raw, err := hex.DecodeString(hexAddr)
	if err != nil || len(raw) != 4 && len(raw) != 16 {
		return listening{}, fmt.Errorf("bad address %q", s)
	}
	// Each 32-bit word was printed as a number read in host byte order;
	// write it back the same way to get the address bytes.
	b := make([]byte, len(raw))
	for i := 0; i < len(raw); i += 4 {
		binary.NativeEndian.PutUint32(b[i:], binary.BigEndian.Uint32(raw[i:]))
	}
	a, _ := netip.AddrFromSlice(b)
	return listening{addr: a.Unmap(), port: uint16(port)}, nil
}
