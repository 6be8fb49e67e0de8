package tray

import (
	"context"
	"errors"
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
// the returned stop is called; it returns the address it listens on.
func serveAt(t *testing.T, addr string) (string, func()) {
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
	hs := &http.Server{Handler: fakeanytype.New(fakeanytype.Config{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := hs.Serve(l); !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	stop := func() { hs.Close(); <-done }
	t.Cleanup(func() { hs.Close() })
	return l.Addr().String(), stop
}

// TestLoopStatusFollowsAnytype: Anytype stopping and starting again shows
// within one probe period, and probes that find nothing new neither
// rebuild the menu nor ask the keychain.
func TestLoopStatusFollowsAnytype(t *testing.T) {
	t.Parallel()
	addr, stop := serveAt(t, "127.0.0.1:0")
	e := newEnv(t, fakeanytype.Config{}, "http://"+addr)
	cs := &countingStore{Store: e.store}
	e.app.d.Store = cs
	const every = 100 * time.Millisecond
	e.app.probeEvery = every
	startLoop(t, e)
	connected := has("Anytype: connected (API 2025-11-08) [off]")
	e.r.waitMenu(t, 5*time.Second, connected)

	rendered := func() int {
		e.r.mu.Lock()
		defer e.r.mu.Unlock()
		return e.r.n
	}
	n, lists := rendered(), cs.lists.Load()
	time.Sleep(6 * every)
	if got := rendered(); got != n {
		t.Errorf("%d renders while nothing changed, want none", got-n)
	}
	if got := cs.lists.Load(); got != lists {
		t.Errorf("%d keychain lists from status probes, want none", got-lists)
	}

	stop()
	e.r.waitMenu(t, every+time.Second, has("Anytype: not running [off]"))
	serveAt(t, addr)
	e.r.waitMenu(t, every+time.Second, connected)
}
