package busdial

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"golang.org/x/sys/unix"
)

const envForeignListen = "ANYKEY_TEST_FOREIGN_LISTEN" // unix targets, comma-separated

// TestForeignListenerHelper is the other user's listener: it listens at
// each Unix target it is given (a path, or "@name" in the abstract
// namespace), holds every connection without answering, as a bus that
// refuses or never answers would, and prints "data" when one sends it
// anything.
func TestForeignListenerHelper(t *testing.T) {
	targets := os.Getenv(envForeignListen)
	if targets == "" {
		t.Skip("helper process of TestConnectForeignListener")
	}
	for _, target := range strings.Split(targets, ",") {
		l, err := net.Listen("unix", target)
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				go func() {
					if _, err := c.Read(make([]byte, 1)); err == nil {
						fmt.Println("data")
					}
				}()
			}
		}()
	}
	fmt.Println("ready")
	select {}
}

// A bus socket another user listens at is named as theirs at once, before
// godbus sends a byte: one that would never answer (not after the 5 s
// handshake deadline), and in the abstract namespace too, where no file
// mode keeps anyone out; also behind an entry that fails first.
func TestConnectForeignListener(t *testing.T) {
	desktoptest.RequireOtherUser(t)
	dir, err := os.MkdirTemp("", "anykey-foreign-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	if err := os.Chown(dir, 65534, -1); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "bus")
	abstract := fmt.Sprintf("anykey-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	cmd := desktoptest.AsOtherUser(t, "^TestForeignListenerHelper$", envForeignListen+"="+path+",@"+abstract)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var mu sync.Mutex
	data := 0
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			switch l := sc.Text(); {
			case l == "data":
				mu.Lock()
				data++
				mu.Unlock()
			case l == "ready" || strings.HasPrefix(l, "error"):
				ready <- l
			}
		}
	}()
	select {
	case l := <-ready:
		if l != "ready" {
			t.Fatalf("helper: %s", l)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the helper did not start")
	}
	gonePath := filepath.Join(t.TempDir(), "gone")
	gone := "unix:path=" + gonePath
	for _, addr := range []string{
		"unix:path=" + path,
		"unix:abstract=" + abstract,
		gone + ";unix:abstract=" + abstract,
		// A key given twice: godbus dials the first value (getKey), so
		// the probe must look there, not at the last.
		"unix:path=" + path + ",path=" + gonePath,
		"unix:abstract=" + abstract + ",abstract=" + abstract + "-gone",
		"unix:path=" + path + ",guid=0123456789abcdef0123456789abcdef,path=" + gonePath,
	} {
		start := time.Now()
		_, err := Connect(t.Context(), addr)
		var fe *ForeignError
		if !errors.As(err, &fe) || fe.UID != 65534 || !strings.Contains(err.Error(), "is run by user nobody (65534), not by you") {
			t.Errorf("Connect(%q) = %v, want a *ForeignError naming nobody", addr, err)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("Connect(%q) took %s", addr, took)
		}
		fresh(t)
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
		if _, err := Shared(); !IsForeign(err) {
			t.Errorf("Shared on %q = %v, want a *ForeignError", addr, err)
		}
	}
	// XDG_RUNTIME_DIR naming another user's directory (sudo keeps it, for
	// one) leads there too when the address is unset.
	fresh(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", dir)
	if _, err := Shared(); !IsForeign(err) {
		t.Errorf("Shared with XDG_RUNTIME_DIR=%s = %v, want a *ForeignError", dir, err)
	}
	// Nor is it handed on to godbus (or to programs anykey starts).
	if got := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); got != "" {
		t.Errorf("the refused bus became DBUS_SESSION_BUS_ADDRESS=%s", got)
	}
	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if data != 0 {
		t.Errorf("%d connections sent the other user's listener something", data)
	}
}

const envForeignFull = "ANYKEY_TEST_FOREIGN_FULL" // a path

// TestForeignFullListenerHelper is the other user's listener that never
// accepts, with its backlog full (listen(2) with 0, and one connection of
// its own waiting): every connect to it fails at once with EAGAIN.
func TestForeignFullListenerHelper(t *testing.T) {
	path := os.Getenv(envForeignFull)
	if path == "" {
		t.Skip("helper process of TestConnectForeignFullListener")
	}
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err == nil {
		err = unix.Bind(fd, &unix.SockaddrUnix{Name: path})
	}
	if err == nil {
		err = os.Chmod(path, 0o777)
	}
	if err == nil {
		err = unix.Listen(fd, 0)
	}
	var c net.Conn
	if err == nil {
		c, err = net.Dial("unix", path)
	}
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	defer c.Close()
	fmt.Println("ready")
	select {}
}

// Another user's bus that refuses connections for now (its backlog full)
// is named as theirs, from the socket file's owner, rather than reported
// as a bus that is not there; the probe cannot read its peer credentials.
func TestConnectForeignFullListener(t *testing.T) {
	desktoptest.RequireOtherUser(t)
	dir, err := os.MkdirTemp("", "anykey-foreign-full-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	if err := os.Chown(dir, 65534, -1); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "bus")
	cmd := desktoptest.AsOtherUser(t, "^TestForeignFullListenerHelper$", envForeignFull+"="+path)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if l, err := bufio.NewReader(out).ReadString('\n'); err != nil || strings.TrimSpace(l) != "ready" {
		t.Fatalf("helper: %q %v", l, err)
	}
	if c, err := net.Dial("unix", path); !errors.Is(err, unix.EAGAIN) {
		if c != nil {
			c.Close()
		}
		t.Fatalf("a connect to the full listener: %v, want EAGAIN", err)
	}
	addr := "unix:path=" + path
	_, err = Connect(t.Context(), addr)
	var fe *ForeignError
	if !errors.As(err, &fe) || fe.UID != 65534 {
		t.Errorf("Connect(%q) = %v, want a *ForeignError naming nobody", addr, err)
	}
	fresh(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	if _, err := Shared(); !IsForeign(err) {
		t.Errorf("Shared on %q = %v, want a *ForeignError", addr, err)
	}
}
