package cli

// The session bus and the Secret Service belong to the user (issue 21 §1).
// A shell that outlives its session bus (tmux, screen) keeps an address
// another local user can listen at, with a bus and a Secret Service of
// their own. The hostile party here runs as nobody: a real dbus-daemon,
// and a fake Secret Service that owns org.freedesktop.secrets and reports
// every method call it receives. Nothing may reach it.

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

const envFakeSSBus = "ANYKEY_TEST_FAKE_SS_BUS" // the bus the fake Secret Service joins

// TestFakeSecretServiceHelper is the other user's Secret Service: it owns
// org.freedesktop.secrets on the bus it is given and prints "call
// INTERFACE.MEMBER" for each method call that reaches it.
func TestFakeSecretServiceHelper(t *testing.T) {
	addr := os.Getenv(envFakeSSBus)
	if addr == "" {
		t.Skip("helper process of TestE2EForeignBus")
	}
	var mu sync.Mutex
	conn, err := dbus.Connect(addr, dbus.WithIncomingInterceptor(func(m *dbus.Message) {
		if m.Type != dbus.TypeMethodCall {
			return
		}
		iface, _ := m.Headers[dbus.FieldInterface].Value().(string)
		member, _ := m.Headers[dbus.FieldMember].Value().(string)
		mu.Lock()
		fmt.Printf("call %s.%s\n", iface, member)
		mu.Unlock()
	}))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	if r, err := conn.RequestName("org.freedesktop.secrets", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		fmt.Println("error requesting the name:", r, err)
		os.Exit(1)
	}
	fmt.Println("ready")
	select {}
}

// foreignBusConfig is a session bus any user may connect to (the hostile
// party's own bus is configured as it likes).
const foreignBusConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// startBus starts dbus-daemon on a socket in a fresh directory, as
// nobody when foreign, and returns its address.
func startBus(t *testing.T, foreign bool) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		if desktoptest.InCI() {
			t.Fatal("dbus-daemon is not installed: scripts/install-test-deps.sh installs it")
		}
		t.Skip("no dbus-daemon")
	}
	dir, err := os.MkdirTemp("", "anykey-bus-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	sock := filepath.Join(dir, "bus")
	cfg := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, foreignBusConfig, sock), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"dbus-daemon", "--config-file=" + cfg, "--nofork", "--print-address=1"}
	if foreign {
		if err := os.Chown(dir, 65534, -1); err != nil {
			t.Fatal(err)
		}
		args = append([]string{"setpriv", "--reuid=" + desktoptest.OtherUser, "--regid=nogroup", "--clear-groups"}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon did not start: %v", err)
	}
	return strings.TrimSpace(line)
}

// fakeSecretService starts TestFakeSecretServiceHelper as nobody on addr
// and returns a function that counts the calls it has received so far.
func fakeSecretService(t *testing.T, addr string) func() []string {
	t.Helper()
	cmd := desktoptest.AsOtherUser(t, "^TestFakeSecretServiceHelper$", envFakeSSBus+"="+addr)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var mu sync.Mutex
	var calls []string
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			l := sc.Text()
			switch {
			case l == "ready" || strings.HasPrefix(l, "error"):
				ready <- l
			case strings.HasPrefix(l, "call "):
				mu.Lock()
				calls = append(calls, strings.TrimPrefix(l, "call "))
				mu.Unlock()
			}
		}
	}()
	select {
	case l := <-ready:
		if l != "ready" {
			t.Fatalf("fake Secret Service: %s", l)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the fake Secret Service did not start")
	}
	return func() []string {
		time.Sleep(100 * time.Millisecond) // let the last report arrive
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), calls...)
	}
}

func TestE2EForeignBus(t *testing.T) {
	desktoptest.RequireOtherUser(t)
	e := newE2E(t, fakeanytype.Config{})
	const key = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI="
	name := e.name("bus")
	// A key saved on the user's real keychain first, for get and copy.
	if r := e.run(strings.NewReader(key+"\n"), "add", "--no-verify", name); r.code != 0 {
		t.Fatalf("add on the user's own bus: %d %s", r.code, r.stderr)
	}
	commands := [][]string{
		{"pair", e.name("new")},
		{"add", "--no-verify", e.name("added")},
		{"get", name},
		{"list"},
		{"env", name},
		{"exec", name, "--", "true"},
		{"rm", name},
	}
	cases, refused, reached := 0, 0, 0
	try := func(t *testing.T, addr, want string, calls func() []string) {
		t.Helper()
		for _, args := range commands {
			before := e.srv.Challenges()
			r := e.runEnv([]string{"DBUS_SESSION_BUS_ADDRESS=" + addr}, strings.NewReader(key+"\n"), args...)
			cases++
			if args[0] == "list" && r.code == 0 {
				// list reads keys.json; the keychain states it asks
				// for are refused with the same message.
				if !strings.Contains(r.stderr, want) {
					t.Errorf("list: %q does not say %q", r.stderr, want)
				}
			} else if r.code != 1 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "hint: ") {
				t.Errorf("%v: exit %d, stderr %q; want exit 1 saying %q and a hint", args, r.code, r.stderr, want)
				continue
			}
			if strings.Contains(r.stdout+r.stderr, key) {
				t.Errorf("%v printed the key", args)
			}
			if n := e.srv.Challenges() - before; n != 0 {
				t.Errorf("%v spent %d challenges", args, n)
			}
			refused++
		}
		if got := calls(); len(got) != 0 {
			reached += len(got)
			t.Errorf("the other user's Secret Service received %d calls: %q", len(got), got)
		}
	}

	t.Run("foreign bus", func(t *testing.T) {
		addr := startBus(t, true)
		calls := fakeSecretService(t, addr)
		try(t, addr, "is run by user nobody (65534), not by you", calls)
		// The tray does not start on it either.
		r := e.runEnv([]string{"DBUS_SESSION_BUS_ADDRESS=" + addr}, strings.NewReader(""))
		cases++
		if r.code != 1 || !strings.Contains(r.stderr, "cannot start the tray") || !strings.Contains(r.stderr, "nobody") {
			t.Errorf("the tray on another user's bus: exit %d, %q", r.code, r.stderr)
		} else {
			refused++
		}
		t.Logf("foreign-bus: bus %s run by nobody: %d calls reached its Secret Service", addr, len(calls()))
	})
	t.Run("foreign Secret Service on the user's bus", func(t *testing.T) {
		addr := startBus(t, false)
		calls := fakeSecretService(t, addr)
		try(t, addr, "the Secret Service (org.freedesktop.secrets) is run by user nobody (65534), not by you", calls)
		// The counter counts: one call of the test's own reaches it.
		conn, err := dbus.Connect(addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").CallWithContext(ctx, "org.freedesktop.DBus.Peer.Ping", 0)
		if got := calls(); len(got) != 1 {
			t.Errorf("a direct call: the fake Secret Service reported %q, want one call", got)
		}
	})
	t.Logf("foreign-bus: %d commands tried, %d refused naming nobody; %d calls reached the other user's Secret Service", cases, refused, reached)
}

// runEnv is e.run with extra environment, which wins over the session's.
func (e *e2e) runEnv(extra []string, stdin *strings.Reader, args ...string) result {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := e.command(ctx, args...)
	cmd.Env = append(cmd.Env, extra...)
	cmd.Stdin = stdin
	return runAnykey(e.t, cmd)
}
