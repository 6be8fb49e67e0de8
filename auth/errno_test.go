package auth

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// TestIsRefused: a port nobody listens on is "refused" on every OS (on
// Windows the error is WSAECONNREFUSED, not Go's syscall.ECONNREFUSED; the
// Wine cell runs this), and other dial errors are not.
func TestIsRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = net.DialTimeout("tcp", addr, 5*time.Second)
	if err == nil || !IsRefused(err) {
		t.Fatalf("dialing closed %s: %v; IsRefused = false", addr, err)
	}
	if IsRefused(errors.New("connection refused")) || IsRefused(nil) || IsRefused(io.EOF) {
		t.Error("IsRefused matched an error that is no refused connection")
	}
}

// TestIsDropped: a server that resets the connection instead of answering
// is "dropped" on every OS (WSAECONNRESET on Windows).
func TestIsDropped(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		buf := make([]byte, 1)
		c.Read(buf)
		c.(*net.TCPConn).SetLinger(0) // close with RST
		c.Close()
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("x"))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = c.Read(make([]byte, 1))
	if !isDropped(err) {
		t.Fatalf("read from a reset connection: %v; isDropped = false", err)
	}
	if isDropped(io.EOF) || isDropped(nil) {
		t.Error("isDropped matched a clean end")
	}
}
