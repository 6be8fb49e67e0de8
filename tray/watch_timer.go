package tray

import (
	"context"
	"time"
)

// idleTimer is the status probe's sleep between two probes.
//
// Why not only time.Timer: while a runtime timer is pending, the Go
// runtime's monitor thread (sysmon) sleeps until that timer is due, then
// finds it due but not yet run and, until a scheduler thread gets the CPU
// to run it, naps 20 µs at a time (runtime/proc.go, sysmon: a wake-up
// that is not yet past does not let it sleep). On a busy laptop that
// gap is milliseconds, so each probe cost up to 60 context switches
// instead of a handful (golang/go#25471: one time.Sleep costs several
// syscalls and thread wake-ups; golang/go#18236: the sysmon tick is fixed).
// On Linux the wait is a timerfd read in the network poller instead: the
// kernel wakes the thread that runs the probe, no runtime timer is
// pending, and sysmon sleeps until that thread makes its first syscall.
// Measured with scripts/bench-tray.sh (docs/performance.md).
type idleTimer interface {
	// sleep waits d and reports true, or false as soon as ctx ends.
	sleep(ctx context.Context, d time.Duration) bool
	close()
}

// runtimeTimer is the portable idleTimer.
type runtimeTimer struct{ t *time.Timer }

func newRuntimeTimer() idleTimer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &runtimeTimer{t}
}

func (r *runtimeTimer) sleep(ctx context.Context, d time.Duration) bool {
	r.t.Reset(d)
	select {
	case <-ctx.Done():
		r.t.Stop()
		return false
	case <-r.t.C:
		return true
	}
}

func (r *runtimeTimer) close() { r.t.Stop() }
