package cli

// Servers on loopback that do not speak HTTP as Anytype does, down to the
// bytes: answers net/http's parser refuses, connections dropped before an
// answer, bodies that never end. Each run of the real binary must end well
// before its 10 s deadline with one anykey line and a hint, exit 1.

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// rawServer answers every connection with answer, after reading the
// request's first bytes; it returns the server's URL.
func rawServer(t *testing.T, answer func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(30 * time.Second))
				buf := make([]byte, 4096)
				c.Read(buf)
				answer(c)
			}()
		}
	}()
	return "http://" + l.Addr().String()
}

func writeRaw(s string) func(net.Conn) {
	return func(c net.Conn) { c.Write([]byte(s)) }
}

func TestE2ERawServers(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	endless := func(head string, chunk []byte) func(net.Conn) {
		return func(c net.Conn) {
			c.Write([]byte(head))
			for {
				if _, err := c.Write(chunk); err != nil {
					return
				}
			}
		}
	}
	cases := []struct {
		name   string
		answer func(net.Conn)
		max    time.Duration
	}{
		// net/http refuses these heads, quoting what the server sent.
		{"header-line-with-escape", writeRaw("HTTP/1.1 200 OK\r\nContent-Type: text/plain\x1b[2J\u202e\r\nContent-Length: 2\r\n\r\n{}"), 5 * time.Second},
		{"http-0.9", writeRaw(`{"challenge_id":"x"}`), 5 * time.Second},
		{"bad-status-line", writeRaw("HTTP/1.1 two hundred\u202e\r\n\r\n"), 5 * time.Second},
		// Accepted, then dropped without a word, or reset.
		{"closed-without-answer", func(net.Conn) {}, 5 * time.Second},
		{"reset", func(c net.Conn) {
			c.(*net.TCPConn).SetLinger(0)
		}, 5 * time.Second},
		// A body that never ends is cut at its cap at once, not read on
		// until the deadline.
		{"endless-chunked-body", endless("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nAnytype-Version: 2025-11-08\r\nTransfer-Encoding: chunked\r\n\r\n",
			[]byte("10000\r\n"+strings.Repeat(" ", 0x10000)+"\r\n")), 5 * time.Second},
		{"endless-sized-body", endless("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nAnytype-Version: 2025-11-08\r\nContent-Length: 1073741824\r\n\r\n",
			[]byte(strings.Repeat(" ", 0x10000))), 5 * time.Second},
	}
	tried := 0
	for _, tc := range cases {
		url := rawServer(t, tc.answer)
		for _, cmd := range []struct {
			args  []string
			stdin string
		}{
			{[]string{"pair", e.name("raw")}, ""},
			{[]string{"add", e.name("raw")}, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI=\n"},
		} {
			t.Run(tc.name+"/"+cmd.args[0], func(t *testing.T) {
				tried++
				start := time.Now()
				c := e.command(t.Context(), append([]string{"--api-url", url}, cmd.args...)...)
				peak := peakRSS(t, c)
				c.Stdin = strings.NewReader(cmd.stdin)
				var out, errb strings.Builder
				c.Stdout, c.Stderr = &out, &errb
				err := c.Run()
				took := time.Since(start)
				stderr := errb.String()
				if c.ProcessState == nil || c.ProcessState.ExitCode() != 1 {
					t.Errorf("exit %v, want 1: %q", err, stderr)
				}
				if i := strings.IndexAny(stderr, unsafeText); i >= 0 {
					t.Errorf("stderr carries %q: %q", stderr[i:i+1], stderr)
				}
				lines := strings.Split(strings.TrimSpace(stderr), "\n")
				if len(lines) < 2 || !strings.HasPrefix(lines[0], "anykey: ") || strings.HasPrefix(lines[0], "anykey: hint:") ||
					!strings.HasPrefix(lines[1], "anykey: hint: ") {
					t.Errorf("want one anykey line and a hint, got %q", stderr)
				}
				for _, l := range lines[1:] {
					if !strings.HasPrefix(l, "anykey: hint: ") {
						t.Errorf("more than one message: %q", stderr)
					}
				}
				if took > tc.max {
					t.Errorf("took %v, want < %v", took, tc.max)
				}
				if kib := peak(); kib > 200<<10 {
					t.Errorf("peak memory %d KiB", kib)
				}
				if strings.TrimSpace(out.String()) != "" {
					t.Errorf("stdout: %q", out.String())
				}
			})
		}
	}
	t.Logf("raw servers: %d runs", tried)
}
