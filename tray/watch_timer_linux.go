package tray

import (
	"context"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// fdTimer is a timerfd read through Go's network poller (see idleTimer).
type fdTimer struct{ f *os.File }

// newIdleTimer returns a timerfd-backed idleTimer, or the runtime one if
// the kernel refuses a timerfd.
func newIdleTimer() idleTimer {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return newRuntimeTimer()
	}
	// A non-blocking descriptor makes os.File park reads in the poller
	// instead of blocking a thread in read(2).
	return &fdTimer{f: os.NewFile(uintptr(fd), "timerfd")}
}

func (t *fdTimer) sleep(ctx context.Context, d time.Duration) bool {
	// A zero it_value disarms the timer; never ask for that.
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(max(d.Nanoseconds(), 1))}
	raw, err := t.f.SyscallConn()
	if err != nil {
		return false
	}
	var serr error
	if err := raw.Control(func(fd uintptr) {
		// Drop an expiry a cancelled sleep left unread, then arm.
		var stale [8]byte
		unix.Read(int(fd), stale[:])
		serr = unix.TimerfdSettime(int(fd), 0, &spec, nil)
	}); err != nil || serr != nil {
		return false
	}
	// A cancelled sleep left its deadline in the past.
	if err := t.f.SetReadDeadline(time.Time{}); err != nil {
		return false
	}
	// Unblock the read when ctx ends. A deadline is a runtime timer, but
	// only once ctx has ended.
	stop := context.AfterFunc(ctx, func() { t.f.SetReadDeadline(time.Now()) })
	defer stop()
	var expirations [8]byte
	_, err = t.f.Read(expirations[:])
	return err == nil && ctx.Err() == nil
}

func (t *fdTimer) close() { t.f.Close() }
