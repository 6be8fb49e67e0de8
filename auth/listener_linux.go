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
)

// procNetFiles are the kernel's TCP socket tables of this process's network
// namespace; a socket line carries its owner's uid (proc(5)).
var procNetFiles = []string{"/proc/net/tcp", "/proc/net/tcp6"}

// listenerOwner finds the listening socket(s) a connection from local to
// remote reached in /proc/net/tcp{,6} and returns their owner. The accepted
// socket itself is not used: until the server calls accept(2) the kernel
// reports it as owned by root.
func listenerOwner(_, remote netip.AddrPort) (owner, error) {
	var ls []listening
	var uids []uint32
	for _, f := range procNetFiles {
		l, u, err := readProcNet(f)
		if err != nil && !(errors.Is(err, os.ErrNotExist) && strings.HasSuffix(f, "6")) {
			return owner{}, err
		}
		ls, uids = append(ls, l...), append(uids, u...)
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

func uidOwner(uid uint32) owner {
	o := owner{id: strconv.FormatUint(uint64(uid), 10)}
	if u, err := user.LookupId(o.id); err == nil {
		o.name = u.Username
	}
	return o
}

// maxProcNetLine bounds one line of /proc/net/tcp (about 150 bytes).
const maxProcNetLine = 4096

// readProcNet returns the listening sockets (state 0A) of one table and
// their uids. The format is proc(5)'s: "sl local rem st tx:rx tr:when
// retrnsmt uid timeout inode ...", addresses as hex words in host byte
// order, ports as big-endian hex.
func readProcNet(path string) ([]listening, []uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 512), maxProcNetLine)
	var ls []listening
	var uids []uint32
	first := true
	for sc.Scan() {
		if first { // header
			first = false
			continue
		}
		fs := strings.Fields(sc.Text())
		if len(fs) < 8 || fs[3] != "0A" {
			continue
		}
		l, err := parseProcAddr(fs[1])
		if err != nil {
			return nil, nil, fmt.Errorf("reading %s: %w", path, err)
		}
		uid, err := strconv.ParseUint(fs[7], 10, 32)
		if err != nil {
			return nil, nil, fmt.Errorf("reading %s: bad uid %q", path, fs[7])
		}
		ls, uids = append(ls, l), append(uids, uint32(uid))
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return ls, uids, nil
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
