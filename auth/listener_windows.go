package auth

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/windows"
)

// GetExtendedTcpTable is not wrapped by x/sys/windows; it is a documented
// iphlpapi export (Microsoft Learn: GetExtendedTcpTable).
var procGetExtendedTcpTable = windows.NewLazySystemDLL("iphlpapi.dll").NewProc("GetExtendedTcpTable")

const tcpTableOwnerPIDListener = 3 // TCP_TABLE_OWNER_PID_LISTENER

// listenerOwner finds the process that owns the listening socket remote
// reached (the TCP table with owning PIDs) and compares that process's
// token user SID with this process's.
func listenerOwner(_, remote netip.AddrPort) (owner, error) {
	var ls []listening
	var pids []uint32
	for _, af := range []uint32{windows.AF_INET, windows.AF_INET6} {
		l, p, err := tcpListeners(af)
		if err != nil {
			return owner{}, err
		}
		ls, pids = append(ls, l...), append(pids, p...)
	}
	idx := pickListeners(ls, remote)
	if len(idx) == 0 {
		return owner{}, fmt.Errorf("no listening socket for %s in the TCP table", remote)
	}
	me, err := tokenSID(windows.CurrentProcess())
	if err != nil {
		return owner{}, err
	}
	for _, i := range idx {
		o, err := pidOwner(pids[i], me)
		if err != nil || !o.mine {
			return o, err
		}
	}
	return owner{id: me.String(), mine: true}, nil
}

// tcpListeners reads the listener table of one address family: rows of
// MIB_TCPROW_OWNER_PID (6 DWORDs) or MIB_TCP6ROW_OWNER_PID (56 bytes)
// after a DWORD count.
func tcpListeners(af uint32) ([]listening, []uint32, error) {
	size := uint32(16 << 10)
	var buf []byte
	for try := 0; ; try++ {
		buf = make([]byte, size)
		r, _, _ := procGetExtendedTcpTable.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&size)),
			0, uintptr(af), tcpTableOwnerPIDListener, 0)
		if r == 0 {
			break
		}
		if windows.Errno(r) != windows.ERROR_INSUFFICIENT_BUFFER || try > 4 {
			return nil, nil, fmt.Errorf("reading the TCP table: %w", windows.Errno(r))
		}
	}
	n := int(binary.LittleEndian.Uint32(buf))
	rowSize := 24
	if af == windows.AF_INET6 {
		rowSize = 56
	}
	if 4+n*rowSize > len(buf) {
		return nil, nil, fmt.Errorf("reading the TCP table: %d rows do not fit %d bytes", n, len(buf))
	}
	ls := make([]listening, 0, n)
	pids := make([]uint32, 0, n)
	for i := 0; i < n; i++ {
		row := buf[4+i*rowSize : 4+(i+1)*rowSize]
		var l listening
		var pid uint32
		if af == windows.AF_INET {
			l.addr = netip.AddrFrom4([4]byte(row[4:8]))
			l.port = binary.BigEndian.Uint16(row[8:10])
			pid = binary.LittleEndian.Uint32(row[20:24])
		} else {
			l.addr = netip.AddrFrom16([16]byte(row[0:16])).Unmap()
			l.port = binary.BigEndian.Uint16(row[20:22])
			pid = binary.LittleEndian.Uint32(row[52:56])
		}
		ls, pids = append(ls, l), append(pids, pid)
	}
	return ls, pids, nil
}

// pidOwner returns the user of process pid. A process anykey may not query
// (another user's service, a protected process, or PID 0, which Wine 8
// reports for every listener) is an error: its owner is unknown, and no
// value may stand in for it, since a hint would offer that value for
// ANYKEY_TRUST_LISTENER_OWNER and so trust whoever later has that pid.
func pidOwner(pid uint32, me *windows.SID) (owner, error) {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return owner{}, fmt.Errorf("the listening process (pid %d) cannot be opened: %w", pid, err)
	}
	defer windows.CloseHandle(h)
	sid, err := tokenSID(h)
	if err != nil {
		return owner{}, fmt.Errorf("the listening process (pid %d): %w", pid, err)
	}
	o := owner{id: sid.String(), mine: sid.Equals(me)}
	if acct, dom, _, err := sid.LookupAccount(""); err == nil {
		o.name = acct
		if dom != "" {
			o.name = dom + `\` + acct
		}
	}
	return o, nil
}

// tokenSID returns the user SID of a process's token.
func tokenSID(proc windows.Handle) (*windows.SID, error) {
	var tok windows.Token
	if err := windows.OpenProcessToken(proc, windows.TOKEN_QUERY, &tok); err != nil {
		return nil, fmt.Errorf("opening process token: %w", err)
	}
	defer tok.Close()
	tu, err := tok.GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("reading token user: %w", err)
	}
	return tu.User.Sid.Copy()
}
