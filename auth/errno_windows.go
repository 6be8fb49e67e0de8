package auth

import "golang.org/x/sys/windows"

// Winsock's codes (Microsoft Learn: Windows Sockets Error Codes); Go's
// net package hands them back as they are, in a *os.SyscallError.
var (
	refusedErrnos = []error{windows.WSAECONNREFUSED}
	droppedErrnos = []error{windows.WSAECONNRESET, windows.WSAECONNABORTED,
		windows.ERROR_BROKEN_PIPE, windows.ERROR_NO_DATA}
)
