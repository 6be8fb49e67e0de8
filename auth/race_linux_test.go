package auth

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// envRaceHelper switches this test binary into the hostile party of
// TestOwnerCheckRace: its value is the address to listen on.
const envRaceHelper = "ANYKEY_TEST_RACE_LISTEN"

// TestRaceAcceptorHelper is the other user's program: it listens, and for
// each connection accepts it, closes its listener at once ("accepted"),
// reads what arrives until the other end closes ("got N"), then waits for "again" on stdin
// to listen on the same port again.
func TestRaceAcceptorHelper(t *testing.T) {
	addr := os.Getenv(envRaceHelper)
	if addr == "" {
		t.Skip("helper process of TestOwnerCheckRace")
	}
	in := bufio.NewScanner(os.Stdin)
	for first := true; ; first = false {
		var ln net.Listener
		var err error
		for range 500 { // the test's own listener may still hold the port
			if ln, err = net.Listen("tcp", addr); err == nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		if first {
			addr = ln.Addr().String()
			fmt.Println("listening", addr)
		} else {
			fmt.Println("listening")
		}
		c, err := ln.Accept()
		ln.Close()
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("accepted")
		// Read until anykey's side closes (every round does, after its
		// check): a short deadline closed this end first on a loaded
		// machine, before the check had looked (CI), and the check then
		// found no connection to name an owner for.
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		n, _ := io.Copy(io.Discard, c)
		c.Close()
		fmt.Println("got", n)
		if !in.Scan() {
			return
		}
	}
}

// TestOwnerCheckRace is issue 21's race, step by step: another user's
// program takes anykey's connection (accept), closes its listener, and a
// program of anykey's own user binds the port before anykey looks. A check
// of the listener then sees only the user's own socket and sends the key
// to the other user; the check of the connection itself must refuse. Each
// round runs the real check on a real connection and, had it passed,
// writes a secret: the other user counts what it received, which must be 0.
func TestOwnerCheckRace(t *testing.T) {
	desktoptest.RequireOtherUser(t)
	const rounds = 25
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		t.Run(addr, func(t *testing.T) {
			if ln, err := net.Listen("tcp", addr); err != nil {
				t.Skipf("no %s here: %v", addr, err)
			} else {
				ln.Close()
			}
			cmd := desktoptest.AsOtherUser(t, "^TestRaceAcceptorHelper$", envRaceHelper+"="+addr)
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { stdin.Close(); cmd.Process.Kill(); cmd.Wait() })
			out := bufio.NewScanner(stdout)
			next := func(want string) string {
				t.Helper()
				for out.Scan() {
					line := out.Text()
					if strings.HasPrefix(line, want) {
						return strings.TrimSpace(strings.TrimPrefix(line, want))
					}
					if strings.HasPrefix(line, "error") {
						t.Fatalf("helper: %s", line)
					}
				}
				t.Fatalf("helper ended before %q: %v", want, out.Err())
				return ""
			}
			port := next("listening ")
			delivered, refused, sent := 0, 0, 0
			for i := range rounds {
				if i > 0 {
					fmt.Fprintln(stdin, "again")
					next("listening")
				}
				conn, err := net.Dial("tcp", port)
				if err != nil {
					t.Fatal(err)
				}
				next("accepted") // and its listener is closed
				ours, err := net.Listen("tcp", port)
				if err != nil {
					t.Fatalf("round %d: rebinding %s: %v", i, port, err)
				}
				err = checkListener(conn, nil)
				var le *ListenerError
				switch {
				case err == nil:
					conn.Write([]byte("secret-key\n"))
					sent++
				case errors.As(err, &le) && errors.Is(err, ErrForeignListener) && le.Owner == desktoptest.OtherUser:
					refused++
				default:
					t.Errorf("round %d: %v, want the connection refused as %s's", i, err, desktoptest.OtherUser)
				}
				conn.Close()
				if n, _ := strconv.Atoi(next("got ")); n > 0 {
					delivered++
				}
				ours.Close()
			}
			t.Logf("owner-race %s: %d rounds, %d refused naming %s, %d passed the check, %d delivered bytes to the other user",
				addr, rounds, refused, desktoptest.OtherUser, sent, delivered)
			if delivered != 0 || sent != 0 {
				t.Errorf("%d of %d rounds sent the secret to another user's accepted connection", delivered, rounds)
			}
		})
	}
}
