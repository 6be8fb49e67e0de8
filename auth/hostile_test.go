package auth

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// rawServer runs handle for each connection to a loopback listener and
// returns the listener's URL.
func rawServer(t *testing.T, network, addr string, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				handle(c)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// readRequest consumes a request head so the client's write never blocks.
func readRequest(c net.Conn) {
	_, _ = http.ReadRequest(bufio.NewReader(c))
}

// TestEndlessHeader: a server that streams header lines forever costs at
// most MaxHeadSize of reading and answers within the call's deadline.
func TestEndlessHeader(t *testing.T) {
	var sent atomic.Int64
	u := rawServer(t, "tcp", "127.0.0.1:0", func(c net.Conn) {
		readRequest(c)
		c.Write([]byte("HTTP/1.1 200 OK\r\n"))
		line := []byte("X-Fill: " + strings.Repeat("a", 1000) + "\r\n")
		for {
			n, err := c.Write(line)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	c, err := NewClient(u, WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err = c.Probe(t.Context())
	took := time.Since(start)
	if !errors.Is(err, ErrUnexpectedResponse) || !strings.Contains(err.Error(), "header") {
		t.Fatalf("Probe = %v, want an unexpected response about the header", err)
	}
	if took > 4*time.Second {
		t.Errorf("Probe took %v against an endless header", took)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Errorf("Probe allocated %d bytes against an endless header", grew)
	}
	t.Logf("server wrote %d bytes; client gave up after %v", sent.Load(), took)
}

// TestSlowHeaderDeadline: a head trickled byte by byte ends at the deadline.
func TestSlowHeaderDeadline(t *testing.T) {
	u := rawServer(t, "tcp", "127.0.0.1:0", func(c net.Conn) {
		readRequest(c)
		c.Write([]byte("HTTP/1.1 200 OK\r\nX-Slow: "))
		for {
			if _, err := c.Write([]byte("a")); err != nil {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	c, err := NewClient(u, WithTimeout(500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.Probe(t.Context())
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Probe = %v, want ErrTimeout", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Probe took %v with a 500ms deadline", took)
	}
}

// hostileAnswer serves the same answer to every request.
func hostileAnswer(t *testing.T, status int, header map[string]string, body string) string {
	return newHandlerServer(t, func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = []string{v}
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	})
}

// unsafeRunes are what no error text may carry to a terminal.
const unsafeRunes = "\x1b\x07\x00\u0085\u009b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

func TestServerTextSanitised(t *testing.T) {
	evil := "pay \u202eattention\u202c \x1b[2J\x1b]0;title\x07 <b>bold</b> \u2066iso\u2069"
	for _, tc := range []struct {
		name   string
		status int
		header map[string]string
		body   string
	}{
		{"json-error", 500, map[string]string{"Content-Type": "application/json", "Anytype-Version": "2025-11-08"},
			`{"code":"x` + "\u202e" + `","message":"` + strings.ReplaceAll(evil, "\x1b", `\u001b`) + `"}`},
		{"plain-error", 400, map[string]string{"Content-Type": "text/plain", "Anytype-Version": "2025-11-08"}, evil},
		{"content-type", 201, map[string]string{"Content-Type": "text/" + evil, "Anytype-Version": "2025-11-08"}, "{}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := hostileAnswer(t, tc.status, tc.header, tc.body)
			c, err := NewClient(u, WithTimeout(3*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			c.setServer(Server{APIVersion: "2025-11-08", Generation: GenCurrent})
			_, err = c.CreateChallenge(t.Context(), "n")
			if err == nil {
				t.Fatal("CreateChallenge succeeded")
			}
			if i := strings.IndexAny(err.Error(), unsafeRunes); i >= 0 {
				t.Errorf("error text keeps %q: %q", err.Error()[i:], err.Error())
			}
		})
	}
}

// TestBogusVersionIgnored: an Anytype-Version that is not a date is absent.
func TestBogusVersionIgnored(t *testing.T) {
	for _, v := range []string{
		"2025-11-08 SECURITY NOTICE: re-pair at https://evil.example",
		"2025-11-08\u202e", "9999-99-99x", "<b>2025-11-08</b>", "v1",
	} {
		u := hostileAnswer(t, 400, map[string]string{"Content-Type": "application/json", "Anytype-Version": v},
			`{"code":"bad_request","message":"missing app name"}`)
		c, err := NewClient(u)
		if err != nil {
			t.Fatal(err)
		}
		srv, err := c.Probe(t.Context())
		if err != nil {
			t.Fatalf("Probe with version %q: %v", v, err)
		}
		if srv.APIVersion != "" {
			t.Errorf("version %q kept as %q", v, srv.APIVersion)
		}
	}
}

// TestLocalhostIsIPv4: "localhost" dials 127.0.0.1 and never resolves, so
// a listener on [::1] alone is not reached through it.
func TestLocalhostIsIPv4(t *testing.T) {
	var hits atomic.Int32
	u6 := rawServer(t, "tcp6", "[::1]:0", func(c net.Conn) { hits.Add(1) })
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(u6, "http://"))
	// Make sure nothing holds the same port on 127.0.0.1.
	if ln, err := net.Listen("tcp4", "127.0.0.1:"+port); err == nil {
		ln.Close()
	} else {
		t.Skipf("port %s taken on 127.0.0.1", port)
	}
	c, err := NewClient("http://localhost:"+port, WithTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Probe(t.Context()); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Probe(localhost) with only [::1] listening = %v, want ErrNotRunning", err)
	}
	if hits.Load() != 0 {
		t.Errorf("the [::1] listener got %d connections through localhost", hits.Load())
	}
	for _, tc := range []struct{ in, want string }{
		{"http://localhost:31009", "127.0.0.1:31009"},
		{"http://LocalHost", "127.0.0.1:80"},
		{"http://[::1]:31012", "[::1]:31012"},
		{"http://127.0.0.2:5", "127.0.0.2:5"},
	} {
		pu, err := ParseBaseURL(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := DialAddr(pu); got != tc.want {
			t.Errorf("DialAddr(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
