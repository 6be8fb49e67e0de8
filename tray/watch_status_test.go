package tray

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// countingStore counts List calls: the status probe must never reach the
// keychain.
type countingStore struct {
	keystore.Store
	lists atomic.Int32
}

func (s *countingStore) List(ctx context.Context) ([]keystore.Entry, error) {
	s.lists.Add(1)
	return s.Store.List(ctx)
}

// serveAt serves a fake Anytype on addr ("127.0.0.1:0" for any port) until
// the returned stop is called; it returns the address it listens on and
// the fake. idle, if not 0, is the server's idle timeout for kept-alive
// connections (Anytype sets none).
func serveAt(t *testing.T, addr string, idle time.Duration) (string, *fakeanytype.Server, func()) {
	t.Helper()
	var l net.Listener
	var err error
	// The port was just closed by the previous server; the OS may take a
	// moment to release it.
	for range 50 {
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	fake := fakeanytype.New(fakeanytype.Config{})
	hs := &http.Server{Handler: fake, IdleTimeout: idle}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := hs.Serve(l); !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	stop := func() { hs.Close(); <-done }
	t.Cleanup(func() { hs.Close() })
	return l.Addr().String(), fake, stop
}

// TestLoopStatusFollowsAnytype: Anytype stopping and starting again shows
// within one probe period, and probes that find nothing new neither
// rebuild the menu nor ask the keychain — with a server that keeps idle
// connections (Anytype) and one that drops them at once.
func TestLoopStatusFollowsAnytype(t *testing.T) {
	t.Parallel()
	for _, idle := range []time.Duration{0, time.Millisecond} {
		t.Run(fmt.Sprintf("idle timeout %v", idle), func(t *testing.T) {
			t.Parallel()
			addr, _, stop := serveAt(t, "127.0.0.1:0", idle)
			e := newEnv(t, fakeanytype.Config{}, "http://"+addr)
			cs := &countingStore{Store: e.store}
			e.app.d.Store = cs
			const every = 100 * time.Millisecond
			e.app.timing.probeEvery = every
			startLoop(t, e)
			e.r.waitMenu(t, 5*time.Second, connected)

			n, lists := e.r.renders(), cs.lists.Load()
			time.Sleep(6 * every)
			if got := e.r.renders(); got != n {
				t.Errorf("%d renders while nothing changed, want none", got-n)
			}
			if got := cs.lists.Load(); got != lists {
				t.Errorf("%d keychain lists from status probes, want none", got-lists)
			}

			stop()
			e.r.waitMenu(t, every+time.Second, has("Anytype: not running [off]"))
			serveAt(t, addr, idle)
			e.r.waitMenu(t, every+time.Second, connected)
		})
	}
}

var connected = has("Anytype: connected (API 2025-11-08) [off]")

func (r *fakeRenderer) renders() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// TestLoopIdleAsksNothing: while Anytype keeps the tray's idle connection
// open, the tray sends it no request at all, and still sees it stop at
// once when it does — with no periodic probe due for an hour.
func TestLoopIdleAsksNothing(t *testing.T) {
	t.Parallel()
	addr, fake, stop := serveAt(t, "127.0.0.1:0", 0)
	e := newEnv(t, fakeanytype.Config{}, "http://"+addr)
	e.app.timing = timing{probeEvery: time.Hour, wireRecheck: time.Hour, wireMinLife: time.Hour}
	startLoop(t, e)
	e.r.waitMenu(t, 5*time.Second, connected)
	// The probe, then GET / on the connection kept open.
	deadline := time.Now().Add(5 * time.Second)
	for len(fake.Requests()) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	n := len(fake.Requests())
	time.Sleep(500 * time.Millisecond)
	if got := fake.Requests(); len(got) != n {
		t.Errorf("%d requests while idle, want none: %v", len(got)-n, got[n:])
	}

	stop()
	e.r.waitMenu(t, time.Second, has("Anytype: not running [off]"))
}

// TestLoopWireNoticesAHang: while the wire is up, Anytype is asked on it
// every wireRecheck (GET /, never a probe); when it stops answering but
// keeps its connections, the tray probes and shows it not running.
func TestLoopWireNoticesAHang(t *testing.T) {
	t.Parallel()
	addr, fake, _ := serveAt(t, "127.0.0.1:0", 0)
	e := newEnv(t, fakeanytype.Config{}, "http://"+addr)
	e.app.timing = timing{probeEvery: time.Hour, wireRecheck: 50 * time.Millisecond, wireMinLife: time.Hour}
	startLoop(t, e)
	e.r.waitMenu(t, 5*time.Second, connected)
	// Count, not a rate: with probeEvery and wireMinLife an hour, nothing
	// but the wire's recheck asks GET /, and only a wire gone down probes
	// again. A fixed window (it was 400 ms) measured the machine instead:
	// under go test -race on a loaded 2-core runner each recheck's turn
	// through the scheduler, the race detector and the server can take
	// longer than 50 ms, and fewer than 3 fitted in.
	count := func() (gets, probes int) {
		for _, r := range fake.Requests() {
			switch {
			case r.Method == http.MethodGet && r.Path == "/":
				gets++
			default:
				probes++
			}
		}
		return gets, probes
	}
	var gets, probes int
	began := time.Now()
	for end := began.Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if gets, probes = count(); gets >= 3 || probes > 1 || time.Now().After(end) {
			break
		}
	}
	if gets < 3 || probes != 1 {
		t.Errorf("%d GET / and %d other requests, want several rechecks on the wire and only the first probe", gets, probes)
	}
	t.Logf("%d GET / after %v", gets, time.Since(began).Round(time.Millisecond))

	fake.Fault(fakeanytype.FaultHang)
	// The recheck waits probeWait for its answer, then the probe as long.
	e.r.waitMenu(t, 3*probeWait+time.Second, has("Anytype: not running [off]"))
}
