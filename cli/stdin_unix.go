//go:build unix

package cli

import (
	"os"

	"golang.org/x/sys/unix"
)

// readableNow reports whether a read of f would not block: data, an end
// of input (a pipe whose writer closed: POLLHUP) or an error is waiting.
// It reads nothing. Regular files and /dev/null always are.
func readableNow(f *os.File) bool {
	fds := []unix.PollFd{{Fd: int32(f.Fd()), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 0)
	if err != nil {
		return false // EINTR and the like: say nothing, as if not ready
	}
	return n > 0 && fds[0].Revents&(unix.POLLIN|unix.POLLHUP|unix.POLLERR|unix.POLLNVAL) != 0
}
