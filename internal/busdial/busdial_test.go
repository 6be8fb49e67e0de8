package busdial

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// silentBus is a unix socket that accepts and never answers, as one left
// by an ended session can; it returns its D-Bus address and a count of the
// connections that sent it something: dial attempts of godbus, which
// starts with a NUL byte, not the owner probe of [preflight], which sends
// nothing.
func silentBus(t *testing.T) (addr string, attempts func() int) {
	t.Helper()
	desktoptest.SkipUnderWine(t, "Wine 8 has no AF_UNIX sockets")
	path := filepath.Join(t.TempDir(), "bus")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	n := 0
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
			go func() {
				if _, err := c.Read(make([]byte, 1)); err == nil {
					mu.Lock()
					n++
					mu.Unlock()
				}
			}()
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
	return "unix:path=" + path, func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}

// fresh gives a test of Shared the package's state as a new process has
// it, and when the test ends waits for its attempt still in flight (a
// silent listener's cleanup, registered later, runs first and ends it), so
// the next test does not meet it.
func fresh(t *testing.T) {
	reset := func() {
		for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
			shared.mu.Lock()
			idle := shared.dial == nil
			shared.mu.Unlock()
			if idle {
				break
			}
		}
		shared.mu.Lock()
		shared.failed, shared.conn = nil, nil
		shared.mu.Unlock()
	}
	reset()
	t.Cleanup(reset)
}

// bound is how long past Handshake a silent bus may hold a caller: the
// deadline must hold, on a loaded machine too.
const bound = Handshake + 3*time.Second

func TestConnectSilent(t *testing.T) {
	t.Parallel()
	addr, accepted := silentBus(t)
	start := time.Now()
	conn, err := Connect(t.Context(), addr)
	took := time.Since(start)
	var se *SilentError
	if !errors.As(err, &se) || conn != nil {
		t.Fatalf("Connect = %v, %v; want a *SilentError", conn, err)
	}
	if se.Addr != addr || se.After != Handshake || !IsSilent(err) {
		t.Errorf("error %+v (%q)", se, err)
	}
	if took > bound {
		t.Errorf("Connect returned after %s, want within %s", took, bound)
	}
	if accepted() != 1 {
		t.Errorf("the bus accepted %d connections, want 1", accepted())
	}
}

// A caller's own, shorter deadline is its own error, not a silent bus.
func TestConnectContext(t *testing.T) {
	t.Parallel()
	addr, _ := silentBus(t)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := Connect(ctx, addr)
	if err == nil || IsSilent(err) {
		t.Fatalf("Connect with an ended context = %v, want godbus's error", err)
	}
}

func TestConnectRefused(t *testing.T) {
	t.Parallel()
	start := time.Now()
	_, err := Connect(t.Context(), "unix:path="+filepath.Join(t.TempDir(), "none"))
	if err == nil || IsSilent(err) {
		t.Fatalf("Connect to no socket = %v, want godbus's dial error", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("a refused dial took %s", took)
	}
}

// Shared: the first caller waits Handshake; the next is told at once, and
// no second connection is made while the first attempt hangs.
func TestSharedSilent(t *testing.T) {
	fresh(t)
	addr, accepted := silentBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	start := time.Now()
	if _, err := Shared(); !IsSilent(err) {
		t.Fatalf("Shared = %v, want a *SilentError", err)
	}
	if took := time.Since(start); took > bound {
		t.Errorf("Shared returned after %s, want within %s", took, bound)
	}
	start = time.Now()
	if _, err := Shared(); !IsSilent(err) {
		t.Fatalf("second Shared = %v, want a *SilentError", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("the second Shared waited %s for a bus already known silent", took)
	}
	if accepted() != 1 {
		t.Errorf("the bus accepted %d connections, want 1", accepted())
	}
}

func TestConnectRealBus(t *testing.T) {
	desktoptest.Require(t, desktoptest.SessionBus)
	t.Parallel()
	conn, err := Connect(t.Context(), Address())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var id string
	if err := conn.BusObject().CallWithContext(t.Context(), "org.freedesktop.DBus.GetId", 0).Store(&id); err != nil || id == "" {
		t.Fatalf("GetId = %q, %v", id, err)
	}
}

// With no address in the environment, Shared starts no bus: godbus would
// run dbus-launch. A dbus-launch on PATH that records its start shows it.
func TestSharedNoAddress(t *testing.T) {
	fresh(t)
	bin := t.TempDir()
	mark := filepath.Join(bin, "ran")
	script := "#!/bin/sh\necho ran >" + mark + "\nsleep 30\n"
	if err := os.WriteFile(filepath.Join(bin, "dbus-launch"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir()) // no bus socket in it
	for _, env := range []string{"", "autolaunch:"} {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", env)
		if _, err := Shared(); !errors.Is(err, ErrNoAddress) {
			t.Errorf("DBUS_SESSION_BUS_ADDRESS=%q: Shared = %v, want ErrNoAddress", env, err)
		}
	}
	if _, err := os.Stat(mark); err == nil {
		t.Error("dbus-launch was started")
	}
}

// A bus that failed is reported again without a new attempt, for that
// address only.
func TestSharedFailureRemembered(t *testing.T) {
	desktoptest.SkipUnderWine(t, "Wine 8 has no AF_UNIX sockets")
	fresh(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "bus")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	accepted := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			// Hang up at once, as a bus going down: after godbus's first
			// byte, so that the owner probe, which sends nothing, is not
			// counted as an attempt.
			if _, err := c.Read(make([]byte, 1)); err == nil {
				accepted++
			}
			c.Close()
		}
	}()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+path)
	_, err1 := Shared()
	_, err2 := Shared()
	l.Close()
	<-done
	if err1 == nil || err2 == nil || IsSilent(err1) {
		t.Fatalf("Shared = %v, then %v; want godbus's error twice", err1, err2)
	}
	if accepted != 1 {
		t.Errorf("the bus saw %d connections, want 1", accepted)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(dir, "other"))
	if _, err := Shared(); err == nil || err == err1 {
		t.Errorf("another address got the remembered failure %v", err)
	}
}

func TestSilentErrorShortensAddress(t *testing.T) {
	long := "unix:path=/" + strings.Repeat("a", 5000)
	msg := (&SilentError{Addr: long, After: Handshake}).Error()
	if len(msg) > 300 || !strings.Contains(msg, "…") {
		t.Errorf("message of %d bytes: %.80s…", len(msg), msg)
	}
}

func TestAddress(t *testing.T) {
	desktoptest.SkipUnderWine(t, "Wine 8 has no AF_UNIX sockets")
	run := t.TempDir()
	l, err := net.Listen("unix", filepath.Join(run, "bus"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, tt := range []struct{ bus, run, want string }{
		{"unix:path=/a", run, "unix:path=/a"},
		{"", run, "unix:path=" + run + "/bus"},
		{"autolaunch:", run, "unix:path=" + run + "/bus"},
		{"", t.TempDir(), ""}, // no socket there
		{"autolaunch:", "", ""},
		{"", "", ""},
	} {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", tt.bus)
		t.Setenv("XDG_RUNTIME_DIR", tt.run)
		if got := Address(); got != tt.want {
			t.Errorf("Address(%q, %q) = %q, want %q", tt.bus, tt.run, got, tt.want)
		}
	}
}

// With DBUS_SESSION_BUS_ADDRESS unset, the bus Shared checks
// ($XDG_RUNTIME_DIR/bus) is the one godbus's shared connection dials: on
// its own godbus looks at /run/user/<uid>/bus and then runs dbus-launch,
// never at $XDG_RUNTIME_DIR (systems without logind set it elsewhere,
// such as /tmp/<uid>-runtime-dir).
func TestSharedDialsTheCheckedAddress(t *testing.T) {
	fresh(t)
	bin := t.TempDir()
	mark := filepath.Join(bin, "ran")
	script := "#!/bin/sh\necho ran >" + mark + "\n"
	if err := os.WriteFile(filepath.Join(bin, "dbus-launch"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	addr, attempts := silentBus(t)
	t.Setenv("XDG_RUNTIME_DIR", filepath.Dir(strings.TrimPrefix(addr, "unix:path=")))
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if got := Address(); got != addr {
		t.Fatalf("Address() = %q, want %q", got, addr)
	}
	_, err := Shared()
	var se *SilentError
	if !errors.As(err, &se) || se.Addr != addr {
		t.Errorf("Shared = %v, want the silent bus at %s named", err, addr)
	}
	if n := attempts(); n != 1 {
		t.Errorf("the bus at $XDG_RUNTIME_DIR/bus saw %d connections from godbus, want 1", n)
	}
	if _, err := os.Stat(mark); err == nil {
		t.Error("dbus-launch was started")
	}
}
