package tray

import (
	"context"
	"testing"
	"time"
)

// TestIdleTimer: both timers sleep at least as long as asked, again and
// again, and stop at once when the context ends.
func TestIdleTimer(t *testing.T) {
	t.Parallel()
	for name, newT := range map[string]func() idleTimer{"platform": newIdleTimer, "runtime": newRuntimeTimer} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			it := newT()
			defer it.close()
			for _, d := range []time.Duration{30 * time.Millisecond, 0, 10 * time.Millisecond} {
				start := time.Now()
				if !it.sleep(t.Context(), d) {
					t.Fatalf("sleep(%v) reported a cancelled context", d)
				}
				if got := time.Since(start); got < d {
					t.Errorf("sleep(%v) returned after %v", d, got)
				}
			}

			ctx, cancel := context.WithCancel(t.Context())
			time.AfterFunc(20*time.Millisecond, cancel)
			start := time.Now()
			if it.sleep(ctx, time.Hour) {
				t.Error("sleep reported a full hour")
			}
			if got := time.Since(start); got > 5*time.Second {
				t.Errorf("sleep returned %v after the context ended", got)
			}
			if it.sleep(ctx, time.Hour) {
				t.Error("sleep on an ended context reported true")
			}

			// A cancelled sleep leaves nothing behind for the next one.
			start = time.Now()
			if !it.sleep(t.Context(), 30*time.Millisecond) {
				t.Fatal("sleep after a cancelled one reported a cancelled context")
			}
			if got := time.Since(start); got < 30*time.Millisecond {
				t.Errorf("sleep after a cancelled one returned after %v", got)
			}
		})
	}
}
