package busdial

import (
	"errors"
	"fmt"
	"os/user"
	"strconv"

	"github.com/anykey-app/anykey/internal/textsafe"
)

// ForeignError is a session bus, or a service on it, run by another user:
// whatever anykey sent there would be theirs. A session bus started by
// dbus-run-session or dbus-launch removes its socket when it ends, and a
// shell that outlives it (tmux, screen) keeps the address; another local
// user can then listen at that path with a bus and a Secret Service of
// their own (issue 21).
type ForeignError struct {
	What string // "the D-Bus session bus at …", "the Secret Service"
	UID  uint32 // who runs it
}

func (e *ForeignError) Error() string {
	return fmt.Sprintf("%s is run by user %s, not by you", textsafe.Terminal(e.What), uidName(e.UID))
}

// Owner is the user name (else the numeric uid) of who runs it.
func (e *ForeignError) Owner() string { return uidName(e.UID) }

func uidName(uid uint32) string {
	id := strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(id); err == nil {
		return u.Username + " (" + id + ")"
	}
	return id
}

// IsForeign reports whether err is, or wraps, a *[ForeignError].
func IsForeign(err error) bool {
	var f *ForeignError
	return errors.As(err, &f)
}

// shownAddr is addr shortened for a message.
func shownAddr(addr string) string {
	if len(addr) > maxShown {
		return addr[:maxShown] + "…"
	}
	return addr
}
