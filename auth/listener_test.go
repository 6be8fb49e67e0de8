package auth

import (
	"errors"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

func TestPickListeners(t *testing.T) {
	a := netip.MustParseAddr
	ls := []listening{
		{a("127.0.0.1"), 31009}, // 0
		{a("0.0.0.0"), 31009},   // 1
		{a("::"), 31012},        // 2
		{a("::1"), 31012},       // 3
		{a("0.0.0.0"), 8080},    // 4
		{a("::"), 8080},         // 5
		{a("127.0.0.2"), 31009}, // 6
	}
	for _, tc := range []struct {
		remote string
		want   []int
	}{
		{"127.0.0.1:31009", []int{0}},
		{"127.0.0.3:31009", []int{1}},
		{"127.0.0.1:31012", []int{2}},
		{"[::1]:31012", []int{3}},
		{"127.0.0.1:8080", []int{4, 5}},
		{"[::1]:8080", []int{5}},
		{"127.0.0.1:1", nil},
	} {
		got := pickListeners(ls, netip.MustParseAddrPort(tc.remote))
		if len(got) != len(tc.want) || len(got) > 0 && !equalInts(got, tc.want) {
			t.Errorf("pickListeners(%s) = %v, want %v", tc.remote, got, tc.want)
		}
	}
}

func equalInts(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// TestOwnListenerPasses: a listener of this process passes the real check
// on platforms that have one.
func TestOwnListenerPasses(t *testing.T) {
	desktoptest.SkipUnderWine(t, "Wine 8's TCP table reports owning PID 0 for every listener")
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Logf("skip %s: %v", addr, err)
			continue
		}
		defer ln.Close()
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if err := checkListener(conn, nil); err != nil {
			t.Errorf("own listener on %s: %v", addr, err)
		}
		if runtime.GOOS != "linux" && runtime.GOOS != "windows" {
			continue
		}
		o, err := listenerOwner(mustAddrPort(t, conn.LocalAddr()), mustAddrPort(t, conn.RemoteAddr()))
		if err != nil || !o.mine {
			t.Errorf("listenerOwner(%s) = %+v, %v; want mine", addr, o, err)
		}
	}
}

func mustAddrPort(t *testing.T, a net.Addr) netip.AddrPort {
	ap, ok := addrPort(a)
	if !ok {
		t.Fatalf("%v is not tcp", a)
	}
	return ap
}

// TestForeignListenerRefused: the transport writes nothing after a failed
// check and the error names the address and the owner. The real other-uid
// case runs in cli's namespace test (TestForeignListenerE2E).
func TestForeignListenerRefused(t *testing.T) {
	got := make(chan int, 1)
	u := rawServer(t, "tcp", "127.0.0.1:0", func(c net.Conn) {
		b := make([]byte, 1)
		n, _ := c.Read(b)
		got <- n
	})
	c, err := NewClient(u)
	if err != nil {
		t.Fatal(err)
	}
	c.hc.(*loopbackTransport).check = func(conn net.Conn, _ []string) error {
		return &ListenerError{Addr: conn.RemoteAddr().String(), Owner: "mallory", ID: "1001", Kind: ErrForeignListener}
	}
	_, err = c.Verify(t.Context(), "secret-key")
	var le *ListenerError
	if !errors.As(err, &le) || !errors.Is(err, ErrForeignListener) {
		t.Fatalf("Verify = %v, want a ListenerError", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "mallory") || !strings.Contains(msg, strings.TrimPrefix(u, "http://")) {
		t.Errorf("message %q does not name the owner and address", msg)
	}
	if n := <-got; n != 0 {
		t.Errorf("the listener read %d bytes", n)
	}
}

// TestTrustAnyListener: "*" turns the check off, even where the owner is
// unknown.
func TestTrustAnyListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ln.Close() // the listener is gone: its owner cannot be found any more
	if runtime.GOOS == "linux" {
		if err := checkListener(conn, nil); !errors.Is(err, ErrListenerUnknown) {
			t.Errorf("closed listener: %v, want ErrListenerUnknown", err)
		}
	}
	if err := checkListener(conn, []string{"*"}); err != nil {
		t.Errorf("with *: %v", err)
	}
}

func TestTrustedOwners(t *testing.T) {
	t.Setenv(EnvTrustListenerOwner, " anytype, 1001 ,,")
	if got := trustedOwners(); len(got) != 2 || got[0] != "anytype" || got[1] != "1001" {
		t.Errorf("trustedOwners = %q", got)
	}
}
