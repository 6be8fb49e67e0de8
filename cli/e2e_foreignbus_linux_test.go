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
	"encoding/json"
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
	"github.com/anykey-app/anykey/internal/doctor"
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

// foreignBusConfig is a session bus listening at the addresses given
// (%s: <listen> elements); with anyone (%s: `<allow user="*"/>`) any
// user may connect to it (the hostile party's own bus is configured as it
// likes), without it only its own user, as a session bus's default policy
// has it: another user's ordinary bus.
const foreignBusConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  %s
  <auth>EXTERNAL</auth>
  <policy context="default">
    %s
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// startBus starts dbus-daemon on a socket in a fresh directory that any
// user may connect to, as nobody when foreign, and returns its address.
func startBus(t *testing.T, foreign bool) string {
	t.Helper()
	return startBusAt(t, foreign, true, func(dir string) []string { return []string{"unix:path=" + filepath.Join(dir, "bus")} })
}

// startBusAt starts dbus-daemon, as nobody when foreign, listening at the
// addresses listen returns for a fresh directory, letting anyone connect
// when anyone is set, and returns the address list it prints (one entry
// per listen element).
func startBusAt(t *testing.T, foreign, anyone bool, listen func(dir string) []string) string {
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
	var listens strings.Builder
	for _, l := range listen(dir) {
		fmt.Fprintf(&listens, "<listen>%s</listen>", l)
	}
	allow := ""
	if anyone {
		allow = `<allow user="*"/>`
	}
	cfg := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, foreignBusConfig, listens.String(), allow), 0o644); err != nil {
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

	// The tray does not start on it, and doctor names it.
	trayAndDoctor := func(t *testing.T, addr, want string) {
		t.Helper()
		env := []string{"DBUS_SESSION_BUS_ADDRESS=" + addr}
		r := e.runEnv(env, strings.NewReader(""))
		cases++
		if r.code != 1 || !strings.Contains(r.stderr, "cannot start the tray") || !strings.Contains(r.stderr, want) ||
			!strings.Contains(r.stderr, "anykey: hint: ") {
			t.Errorf("the tray on %s: exit %d, %q; want exit 1 saying %q and a hint", addr, r.code, r.stderr, want)
		} else {
			refused++
		}
		r = e.runEnv(env, strings.NewReader(""), "doctor", "--json")
		cases++
		var rep doctor.Report
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("doctor --json on %s: exit %d, not JSON (%v): %s %s", addr, r.code, err, r.stdout, r.stderr)
		}
		f, _ := rep.Find(doctor.PieceSessionBus)
		if r.code != 1 || f.Status != doctor.Missing || !strings.Contains(f.Found, want) || !strings.Contains(f.Found, "anykey will not use it") ||
			!strings.Contains(f.Fix, "DBUS_SESSION_BUS_ADDRESS") {
			t.Errorf("doctor on %s: exit %d, session bus %s %q, fix %q; want missing, saying %q", addr, r.code, f.Status, f.Found, f.Fix, want)
		} else {
			refused++
		}
	}
	const foreignOwner = "is run by user nobody (65534), not by you"
	gone := "unix:path=" + filepath.Join(t.TempDir(), "gone")

	// Another user's bus, at a path and in the abstract namespace (where no
	// file mode keeps anyone out): one that lets anyone in, and one with a
	// session bus's default policy, which refuses anykey's authentication;
	// the same message for each, also when an entry that fails comes first
	// (godbus goes on to the next).
	for _, at := range []string{"path", "abstract"} {
		for _, anyone := range []bool{true, false} {
			t.Run(fmt.Sprintf("foreign bus, %s socket, anyone may connect %v", at, anyone), func(t *testing.T) {
				addr := startBusAt(t, true, anyone, func(dir string) []string {
					if at == "path" {
						return []string{"unix:path=" + filepath.Join(dir, "bus")}
					}
					return []string{"unix:abstract=" + filepath.Base(dir)}
				})
				calls := fakeSecretService(t, addr)
				// The key given again after it: godbus dials the first
				// value, so that is the one the owner probe must look at.
				twice := addr + "," + at + "=" + filepath.Join(t.TempDir(), "gone")
				for _, a := range []string{addr, gone + ";" + addr, twice} {
					try(t, a, foreignOwner, calls)
					trayAndDoctor(t, a, foreignOwner)
				}
				t.Logf("foreign-bus: bus %s run by nobody: %d calls reached its Secret Service", addr, len(calls()))
			})
		}
	}

	// A bus over TCP: who runs it cannot be read from the connection, so
	// the address is refused before anything is dialed. The bus is a real
	// dbus-daemon of another user listening on loopback ports (its Unix
	// socket is for its Secret Service: godbus cannot authenticate over
	// TCP, with EXTERNAL only).
	t.Run("foreign bus over TCP", func(t *testing.T) {
		list := startBusAt(t, true, true, func(dir string) []string {
			return []string{"unix:path=" + filepath.Join(dir, "bus"), "tcp:host=127.0.0.1,port=0", "nonce-tcp:host=127.0.0.1,port=0"}
		})
		addrs := map[string]string{}
		for _, a := range strings.Split(list, ";") {
			tr, _, _ := strings.Cut(a, ":")
			addrs[tr] = a
		}
		if addrs["unix"] == "" || addrs["tcp"] == "" || addrs["nonce-tcp"] == "" {
			t.Fatalf("dbus-daemon printed %q", list)
		}
		calls := fakeSecretService(t, addrs["unix"])
		for _, a := range []string{addrs["tcp"], addrs["nonce-tcp"], gone + ";" + addrs["tcp"]} {
			try(t, a, "is not a Unix socket", calls)
			trayAndDoctor(t, a, "is not a Unix socket")
		}
	})
	t.Run("foreign Secret Service on the user's bus", func(t *testing.T) {
		addr := startBus(t, false)
		calls := fakeSecretService(t, addr)
		const want = "the Secret Service (org.freedesktop.secrets) is run by user nobody (65534), not by you"
		try(t, addr, want, calls)
		// doctor names it, and asks it nothing either.
		r := e.runEnv([]string{"DBUS_SESSION_BUS_ADDRESS=" + addr}, strings.NewReader(""), "doctor", "--json")
		cases++
		var rep doctor.Report
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("doctor --json: exit %d, not JSON (%v): %s %s", r.code, err, r.stdout, r.stderr)
		}
		if f, _ := rep.Find(doctor.PieceSecretService); r.code != 1 || f.Status != doctor.Missing || !strings.Contains(f.Found, want) {
			t.Errorf("doctor: exit %d, Secret Service %s %q; want missing, saying %q", r.code, f.Status, f.Found, want)
		} else {
			refused++
		}
		if got := calls(); len(got) != 0 {
			reached += len(got)
			t.Errorf("doctor: the other user's Secret Service received %d calls: %q", len(got), got)
		}
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
	t.Logf("foreign-bus: %d commands tried, %d refused (naming nobody, or the transport); %d calls reached the other user's Secret Service", cases, refused, reached)
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
