package cli

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

const envRaceAcceptor = "ANYKEY_TEST_RACE_ACCEPTOR" // the address the helper listens on

// TestRaceAcceptorProcess is the other user's program of
// TestE2EOwnerCheckRace: listen, accept one connection, close the listener
// at once, count what the connection carries, and listen again as soon as
// the port is free.
func TestRaceAcceptorProcess(t *testing.T) {
	addr := os.Getenv(envRaceAcceptor)
	if addr == "" {
		t.Skip("helper process of TestE2EOwnerCheckRace")
	}
	for first := true; ; first = false {
		var ln net.Listener
		var err error
		for range 5000 {
			if ln, err = net.Listen("tcp4", addr); err == nil {
				break
			}
			time.Sleep(time.Millisecond)
		}
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		if first {
			addr = ln.Addr().String()
		}
		fmt.Println("listening", addr)
		c, err := ln.Accept()
		ln.Close()
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, _ := io.Copy(io.Discard, c)
		c.Close()
		fmt.Println("got", n)
	}
}

// TestE2EOwnerCheckRace races the real binary: another user's program
// accepts anykey's connection and closes its listener at once, while a
// program of this user (the test) binds the port again as fast as it can,
// so that a check of the listener would find the user's own socket. anykey
// must check the connection it writes on: no byte may reach the other user
// (issue 21 §2: before the fix, 16 of 200 adds delivered the key).
func TestE2EOwnerCheckRace(t *testing.T) {
	desktoptest.RequireOtherUser(t)
	e := newE2E(t, fakeanytype.Config{})
	cmd := desktoptest.AsOtherUser(t, "^TestRaceAcceptorProcess$", envRaceAcceptor+"=127.0.0.1:0")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next := func(prefix string) string {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok || !strings.HasPrefix(l, prefix) {
				t.Fatalf("helper said %q (open %v), want %q", l, ok, prefix)
			}
			return strings.TrimPrefix(l, prefix)
		case <-time.After(30 * time.Second):
			t.Fatalf("helper silent, want %q", prefix)
		}
		return ""
	}
	addr := next("listening ")
	const rounds = 40
	delivered, refused := 0, 0
	for i := range rounds {
		if i > 0 {
			next("listening")
		}
		// This user's program: bind the port the moment it is free, and
		// hold it until anykey has finished.
		stop := make(chan struct{})
		bound := make(chan net.Listener, 1)
		go func() {
			for {
				select {
				case <-stop:
					bound <- nil
					return
				default:
				}
				if ln, err := net.Listen("tcp4", addr); err == nil {
					<-stop
					bound <- ln
					return
				}
				time.Sleep(50 * time.Microsecond)
			}
		}()
		r := e.run(strings.NewReader("race-key-"+strconv.Itoa(i)+"\n"), "--api-url", "http://"+addr, "add", e.name("race"))
		close(stop)
		if ln := <-bound; ln != nil {
			ln.Close()
		}
		if n, _ := strconv.Atoi(next("got ")); n > 0 {
			delivered++
		}
		if r.code == 1 && strings.Contains(r.stderr, desktoptest.OtherUser) {
			refused++
		} else {
			t.Errorf("round %d: exit %d, stderr %q; want a refusal naming %s", i, r.code, r.stderr, desktoptest.OtherUser)
		}
	}
	t.Logf("owner-race e2e: %d adds, %d refused naming %s, %d delivered bytes to the other user", rounds, refused, desktoptest.OtherUser, delivered)
	if delivered != 0 {
		t.Errorf("%d of %d adds sent bytes to another user's accepted connection", delivered, rounds)
	}
}
