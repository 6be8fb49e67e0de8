package auth

import "errors"

// IsRefused reports whether err is a refused connection: nothing listens
// at the address. Unix and Windows spell it differently (ECONNREFUSED,
// WSAECONNREFUSED 10061), and Go's syscall.ECONNREFUSED is an invented
// number on Windows that no socket call returns, so compare with
// [refusedErrnos], never syscall.ECONNREFUSED alone.
func IsRefused(err error) bool { return isAny(err, refusedErrnos) }

// isDropped reports whether err is a connection the peer reset or closed
// while anykey was writing or reading (ECONNRESET/EPIPE on Unix;
// WSAECONNRESET, WSAECONNABORTED and the broken-pipe errors on Windows).
func isDropped(err error) bool { return isAny(err, droppedErrnos) }

func isAny(err error, targets []error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
