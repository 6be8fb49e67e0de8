package busdial

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tcpBus is a loopback TCP listener that counts the connections made to
// it; its D-Bus address for tcp: and nonce-tcp:.
func tcpBus(t *testing.T) (tcp, nonce string, accepted func() int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { l.Close() })
	nf := filepath.Join(t.TempDir(), "nonce")
	os.WriteFile(nf, []byte("0123456789abcdef"), 0o600)
	port := l.Addr().(*net.TCPAddr).Port
	return "tcp:host=127.0.0.1,port=" + strconv.Itoa(port), "nonce-tcp:host=127.0.0.1,port=" + strconv.Itoa(port) + ",noncefile=" + nf, n.Load
}

// A bus address that is not a Unix socket is refused before anything is
// dialed, by Connect and by Shared, also when it follows a Unix entry that
// fails (godbus would go on to it).
func TestNonUnixRefusedBeforeDialing(t *testing.T) {
	tcp, nonce, accepted := tcpBus(t)
	gone := "unix:path=" + filepath.Join(t.TempDir(), "gone")
	for _, addr := range []string{tcp, nonce, gone + ";" + tcp, gone + ";" + nonce} {
		start := time.Now()
		_, err := Connect(t.Context(), addr)
		if !IsTransport(err) || !IsRefused(err) {
			t.Errorf("Connect(%q) = %v, want a *TransportError", addr, err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("Connect(%q) took %s", addr, took)
		}
		fresh(t)
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
		if _, err := Shared(); !IsTransport(err) {
			t.Errorf("Shared on %q = %v, want a *TransportError", addr, err)
		}
		if msg := err.Error(); !strings.Contains(msg, "is not a Unix socket") || !strings.Contains(msg, "cannot be checked") {
			t.Errorf("message %q", msg)
		}
	}
	if n := accepted(); n != 0 {
		t.Errorf("the TCP bus saw %d connections, want none", n)
	}
}
