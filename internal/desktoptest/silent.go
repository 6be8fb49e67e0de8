package desktoptest

import (
	"net"
	"sync"
	"testing"
)

// SilentListener listens on network ("unix" or "tcp") at address, accepts
// every connection and never answers, until the test ends: a hung Anytype,
// or a session bus socket left behind by an ended session. It returns the
// address it listens on (the path, or host:port) and a count of the
// connections accepted so far.
func SilentListener(t testing.TB, network, address string) (addr string, accepted func() int) {
	t.Helper()
	if network == "unix" {
		SkipUnderWine(t, "Wine 8 has no AF_UNIX sockets")
	}
	l, err := net.Listen(network, address)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	return l.Addr().String(), func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(held)
	}
}
