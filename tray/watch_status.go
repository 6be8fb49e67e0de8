package tray

import (
	"context"
	"time"
)

// timing is the status watch's schedule, from the package variables;
// tests shorten it per App.
type timing struct {
	probeEvery  time.Duration // statusEvery
	wireRecheck time.Duration
	wireMinLife time.Duration
	// promptFloor: a keychain that refuses an unlock faster than this
	// showed no unlock prompt (see noPromptError).
	promptFloor time.Duration
}

// watchStatus keeps the status line current until ctx ends. It probes at
// once; then, while Anytype answers, it sleeps until the wire (see
// watch_anytype.go) goes down, asking on it every wireRecheck whether
// Anytype still answers, and otherwise probes probeEvery after the last
// probe (pairing's probes count). A wire going down means a probe at once.
// Idle, the only things that can wake the tray are the wire and one timer.
func (a *App) watchStatus(ctx context.Context) {
	tm := a.timing
	t := newIdleTimer()
	defer t.close()
	trustWire := true
	for {
		c := a.refreshStatus(ctx)
		if ctx.Err() != nil {
			return
		}
		var w *wire
		if c == nil {
			trustWire = true // a server that comes back may be another one
		} else if trustWire {
			var err error
			if w, err = openWire(ctx, c.BaseURL(), probeWait); err != nil {
				// Not worth a second connection per probe: probe on the
				// clock until the status changes.
				trustWire = false
			}
		}
		if w == nil {
			if !a.sleepUntilProbe(ctx, t, tm.probeEvery) {
				return
			}
			continue
		}
		down, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			w.read()
			cancel()
		}()
		for t.sleep(down, tm.wireRecheck) {
			if !w.ping(probeWait) {
				break // down, or Anytype hangs: the probe says which
			}
		}
		w.close()
		<-done
		if ctx.Err() != nil {
			return
		}
		if time.Since(w.at) < tm.wireMinLife {
			// Down sooner than a server that keeps connections allows:
			// probe on the clock until the status changes.
			trustWire = false
		}
	}
}

// sleepUntilProbe sleeps until every after the last probe; false if ctx
// ended first.
func (a *App) sleepUntilProbe(ctx context.Context, t idleTimer, every time.Duration) bool {
	for {
		a.mu.Lock()
		wait := every - time.Since(a.lastProbe)
		a.mu.Unlock()
		if wait <= 0 {
			return true
		}
		if !t.sleep(ctx, wait) {
			return false
		}
	}
}
