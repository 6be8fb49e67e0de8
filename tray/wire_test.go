package tray

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// wireServer listens on 127.0.0.1 and runs serve for each connection; it
// returns the port.
func wireServer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); serve(c) }()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// TestWireEndlessHead: a server that answers GET / with a head that never
// ends costs the tray a bounded read, not its memory, and the wire is not
// kept.
func TestWireEndlessHead(t *testing.T) {
	port := wireServer(t, func(c net.Conn) {
		c.Write([]byte("HTTP/1.1 200 OK\r\n"))
		line := []byte("X-Filler: " + strings.Repeat("a", 1000) + "\r\n")
		for {
			if _, err := c.Write(line); err != nil {
				return
			}
		}
	})
	start := time.Now()
	w, err := openWire(context.Background(), "http://127.0.0.1:"+port, 5*time.Second)
	if err == nil {
		w.close()
		t.Fatal("openWire kept a wire whose answer never ends")
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("openWire took %v: it read until the deadline instead of stopping at the cap", d)
	}
}

// TestWireLocalhostIsIPv4: "localhost" in the URL dials 127.0.0.1, never
// a name lookup (auth.DialAddr), like every request of anykey's.
func TestWireLocalhostIsIPv4(t *testing.T) {
	port := wireServer(t, func(c net.Conn) {
		buf := make([]byte, 4096)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
			c.Write([]byte("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
		}
	})
	w, err := openWire(context.Background(), "http://localhost:"+port, 5*time.Second)
	if err != nil {
		t.Fatalf("openWire(localhost) = %v", err)
	}
	defer w.close()
	if got := w.conn.RemoteAddr().String(); got != "127.0.0.1:"+port {
		t.Errorf("the wire reached %s, want 127.0.0.1:%s", got, port)
	}
}

// TestWireRefusesRemote: only loopback URLs are dialled.
func TestWireRefusesRemote(t *testing.T) {
	if w, err := openWire(context.Background(), "http://192.0.2.1:31009", time.Second); err == nil {
		w.close()
		t.Fatal("openWire dialled a non-loopback address")
	}
}
