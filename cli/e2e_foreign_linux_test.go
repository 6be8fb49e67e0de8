package cli

// The foreign-listener test: another user's program holds the API port. It
// runs the real anykey binary inside a private network namespace (unshare
// -n), where the test owns every port, with the foreign listener running as
// nobody (setpriv). The listener counts the bytes each connection sends;
// anything but 0 means a request (a challenge, a code, a key) reached it.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/doctor"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

const (
	envNetnsChild  = "ANYKEY_TEST_NETNS_CHILD" // set in the re-exec'd test inside unshare -n
	envForeignBin  = "ANYKEY_TEST_BIN"         // the anykey binary, built by the parent
	envForeignAddr = "ANYKEY_TEST_FOREIGN"     // addresses the nobody helper listens on
)

// requireNetns skips unless the test can make a network namespace and
// switch user: that needs root. Under CI (which runs as root) a missing
// capability or tool is a failure, not a skip.
func requireNetns(t *testing.T) {
	t.Helper()
	why := ""
	if os.Geteuid() != 0 {
		why = "needs root for unshare -n and setpriv"
	}
	for _, tool := range []string{"unshare", "setpriv", "ip"} {
		if _, err := exec.LookPath(tool); err != nil && why == "" {
			why = tool + " is not installed (util-linux, iproute2)"
		}
	}
	if why == "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("foreign-listener test cannot run under CI: %s", why)
	}
	t.Skipf("foreign-listener test: %s", why)
}

// TestForeignListenerHelper is the foreign listener itself, run as nobody;
// it only does anything when the parent test starts it.
func TestForeignListenerHelper(t *testing.T) {
	addrs := os.Getenv(envForeignAddr)
	if addrs == "" {
		t.Skip("helper process of TestForeignListenerE2E")
	}
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	say := func(format string, a ...any) {
		mu.Lock()
		fmt.Fprintf(out, format+"\n", a...)
		out.Flush()
		mu.Unlock()
	}
	for _, a := range strings.Split(addrs, ",") {
		network := "tcp4"
		if strings.HasPrefix(a, "[") {
			network = "tcp6"
		}
		ln, err := net.Listen(network, a)
		if err != nil {
			say("error %v", err)
			os.Exit(1)
		}
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					defer c.Close()
					c.SetDeadline(time.Now().Add(3 * time.Second))
					var got bytes.Buffer
					buf := make([]byte, 4096)
					for !bytes.Contains(got.Bytes(), []byte("\r\n\r\n")) {
						n, err := c.Read(buf)
						got.Write(buf[:n])
						if err != nil {
							break
						}
					}
					if got.Len() > 0 {
						// Answer like a server that rejects the key, so a
						// trusted-owner run ends at once.
						io.WriteString(c, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
					}
					say("conn %s %d", c.LocalAddr(), got.Len())
				}()
			}
		}()
	}
	say("ready")
	select {} // until killed
}

// TestForeignListenerE2E re-execs itself under unshare -n; the child does
// the work (foreignListenerCases).
func TestForeignListenerE2E(t *testing.T) {
	if os.Getenv(envNetnsChild) == "1" {
		foreignListenerCases(t)
		return
	}
	requireNetns(t)
	desktoptest.Require(t, desktoptest.SecretService)
	bin := anykeyBinary(t)
	cmd := exec.Command("unshare", "-n", os.Args[0], "-test.run=^TestForeignListenerE2E$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), envNetnsChild+"=1", envForeignBin+"="+bin)
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "foreign-listener:") || strings.Contains(line, "--- FAIL") || strings.Contains(line, "_test.go:") {
			t.Log(strings.TrimSpace(line))
		}
	}
	if err != nil {
		t.Fatalf("the test in the private network namespace failed: %v\n%s", err, out)
	}
}

type foreignWorld struct {
	t    *testing.T
	bin  string
	cfg  string
	mu   sync.Mutex
	hits map[string][]int // foreign listener address -> bytes per connection
}

func foreignListenerCases(t *testing.T) {
	if out, err := exec.Command("ip", "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("ip link set lo up: %v %s", err, out)
	}
	w := &foreignWorld{t: t, bin: os.Getenv(envForeignBin), cfg: t.TempDir(), hits: map[string][]int{}}
	// Foreign: 31012 (anytype-cli's port, nothing on 31009), [::1]:31009
	// (where "localhost" may resolve), [::1]:31010, and a wildcard bind.
	foreign := []string{"127.0.0.1:31012", "[::1]:31009", "[::1]:31010", "0.0.0.0:31011"}
	w.startForeign(foreign)

	b := make([]byte, 4)
	rand.Read(b)
	prefix := "netns-" + hex.EncodeToString(b) + "-"
	key := "foreign-test-key-" + hex.EncodeToString(b)
	cases, refused := 0, 0
	expectRefused := func(addr string, stdin string, args ...string) {
		t.Helper()
		cases++
		r := w.run(stdin, nil, args...)
		if r.code != 1 || !strings.Contains(r.stderr, addr) || !strings.Contains(r.stderr, "nobody") ||
			!strings.Contains(r.stderr, "nothing was sent") && !strings.Contains(r.stderr, "was not handed out") {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 naming %s and its owner", args, r.code, r.stderr, addr)
			return
		}
		if strings.Contains(r.stdout+r.stderr, key) {
			t.Errorf("%v: output carries the key", args)
		}
		refused++
	}

	// add with the default URLs: 31009 refuses, 31012 is foreign.
	expectRefused("127.0.0.1:31012", key+"\n", "add", prefix+"add")
	// pair: not even a challenge.
	expectRefused("127.0.0.1:31012", "", "pair", prefix+"pair")
	// A key saved for the foreign port (without a check, so no request),
	// then verify, verify-all and the explicit URLs.
	if r := w.run(key+"\n", nil, "--api-url", "http://127.0.0.1:31012", "add", "--no-verify", prefix+"saved"); r.code != 0 {
		t.Fatalf("add --no-verify: %d %s", r.code, r.stderr)
	}
	defer w.run("", nil, "rm", prefix+"saved")
	expectRefused("127.0.0.1:31012", "", "verify", prefix+"saved")
	expectRefused("127.0.0.1:31012", "", "verify")
	// Hand-offs: the tool anykey would start must not get a key it would
	// send to the foreign port either; the command never runs.
	marker := filepath.Join(t.TempDir(), "ran")
	expectRefused("127.0.0.1:31012", "", "env", prefix+"saved")
	expectRefused("127.0.0.1:31012", "", "exec", prefix+"saved", "--", "touch", marker)
	expectRefused("127.0.0.1:31012", "", "exec", "--mask", prefix+"saved", "--", "touch", marker)
	expectRefused("127.0.0.1:31012", "", "mcp", prefix+"saved", "--inline")
	// mcp serve's probe for Anytype's MCP endpoint carries no key, and
	// still goes nowhere near another user's listener.
	expectRefused("127.0.0.1:31012", "", "mcp", "serve", prefix+"saved")
	if _, err := os.Stat(marker); err == nil {
		t.Errorf("exec ran its command although the key's port is foreign")
	}
	expectRefused("[::1]:31010", key+"\n", "--api-url", "http://[::1]:31010", "add", prefix+"v6")
	expectRefused("[::1]:31009", "", "--api-url", "http://[::1]:31009", "pair", prefix+"v6pair")
	expectRefused("127.0.0.1:31011", "", "--api-url", "http://127.0.0.1:31011", "pair", prefix+"wild")
	expectRefused("127.0.0.1:31011", key+"\n", "--api-url", "http://localhost:31011", "add", prefix+"wildlh")

	// doctor names the foreign listener and its owner, and the way out;
	// it sends nothing either.
	cases++
	if rep, r := w.doctor(); r.code != 1 {
		t.Errorf("doctor with only a foreign listener: exit %d, want 1 (stderr %q)", r.code, r.stderr)
	} else if f := findWhere(rep, "http://127.0.0.1:31012"); f.Status != doctor.Missing ||
		!strings.Contains(f.Found, "user nobody's program listens here") || !strings.Contains(f.Fix, "ANYKEY_TRUST_LISTENER_OWNER=nobody") {
		t.Errorf("doctor on the foreign 31012: %+v", f)
	} else {
		refused++
	}

	// localhost means 127.0.0.1, where our own fake Anytype answers (it
	// starts only now, so the default-URL cases above found 31009 closed);
	// the foreign [::1]:31009 gets nothing.
	ours := startOwnFake(t, "127.0.0.1:31009")
	cases++
	if r := w.run(key+"\n", nil, "--api-url", "http://localhost:31009", "add", prefix+"lh"); r.code != 1 ||
		!strings.Contains(r.stderr, "rejected this key") || ours.Requests() == 0 {
		t.Errorf("add via localhost: exit %d, stderr %q, %d requests at our server; want our server's rejection",
			r.code, r.stderr, ours.Requests())
	}

	// With our Anytype on 31009, pairing works: the foreign 31012 is a
	// warning, and doctor exits 0.
	cases++
	if rep, r := w.doctor(); r.code != 0 {
		t.Errorf("doctor with our Anytype beside a foreign listener: exit %d (stderr %q)", r.code, r.stderr)
	} else if f := findWhere(rep, "http://127.0.0.1:31012"); f.Status != doctor.Warning {
		t.Errorf("doctor on the foreign 31012 while 31009 works: %+v", f)
	}

	total := w.foreignBytes()
	if total != 0 {
		t.Errorf("the foreign listener received %d bytes: %v", total, w.hits)
	}
	conns := w.foreignConns()
	t.Logf("foreign-listener: %d cases tried, %d refused with the owner named, %d connections reached the foreign listener, %d bytes sent to it",
		cases, refused, conns, total)

	// The way out: with the owner trusted, the same verify does reach it
	// (which also proves the byte counter counts).
	before := total
	r := w.run("", []string{"ANYKEY_TRUST_LISTENER_OWNER=nobody"}, "verify", prefix+"saved")
	if !strings.Contains(r.stdout, "rejected") {
		t.Errorf("trusted verify: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if w.foreignBytes() <= before {
		t.Errorf("with %s=nobody the request did not reach the listener", "ANYKEY_TRUST_LISTENER_OWNER")
	}
	t.Logf("foreign-listener: with ANYKEY_TRUST_LISTENER_OWNER=nobody the listener received %d bytes (the escape hatch works)", w.foreignBytes()-before)
}

// startForeign copies this test binary where nobody can run it and starts
// TestForeignListenerHelper as nobody:nogroup.
func (w *foreignWorld) startForeign(addrs []string) {
	t := w.t
	dir, err := os.MkdirTemp("", "anykey-foreign-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	helper := filepath.Join(dir, "helper.test")
	if err := os.WriteFile(helper, self, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
		helper, "-test.run=^TestForeignListenerHelper$", "-test.count=1")
	cmd.Env = []string{envForeignAddr + "=" + strings.Join(addrs, ","), "PATH=/usr/bin:/bin"}
	cmd.Dir = dir
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			switch {
			case len(f) == 1 && f[0] == "ready":
				ready <- nil
			case len(f) > 0 && f[0] == "error":
				ready <- fmt.Errorf("%s", sc.Text())
			case len(f) == 3 && f[0] == "conn":
				var n int
				fmt.Sscan(f[2], &n)
				w.mu.Lock()
				w.hits[f[1]] = append(w.hits[f[1]], n)
				w.mu.Unlock()
			}
		}
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the foreign listener did not start")
	}
}

func (w *foreignWorld) foreignBytes() int {
	time.Sleep(200 * time.Millisecond) // let the helper report the last close
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, hs := range w.hits {
		for _, h := range hs {
			n += h
		}
	}
	return n
}

func (w *foreignWorld) foreignConns() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, hs := range w.hits {
		n += len(hs)
	}
	return n
}

func (w *foreignWorld) run(stdin string, extra []string, args ...string) result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.bin, args...)
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") && !strings.HasPrefix(kv, EnvAPIURL+"=") &&
			!strings.HasPrefix(kv, "ANYKEY_TRUST_LISTENER_OWNER=") && !strings.HasPrefix(kv, keystore.EnvDir+"=") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(append(env, "XDG_CONFIG_HOME="+w.cfg), extra...)
	cmd.Stdin = strings.NewReader(stdin)
	return runAnykey(w.t, cmd)
}

// doctor runs anykey doctor --json with the default URLs.
func (w *foreignWorld) doctor() (doctor.Report, result) {
	w.t.Helper()
	r := w.run("", nil, "doctor", "--json")
	var rep doctor.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		w.t.Fatalf("doctor --json: exit %d, not JSON: %v\n%s", r.code, err, r.stderr)
	}
	return rep, r
}

// findWhere is the finding about the API URL u.
func findWhere(rep doctor.Report, u string) doctor.Finding {
	for _, f := range rep.Findings {
		if f.Piece == doctor.PieceAnytype && f.Where == u {
			return f
		}
	}
	return doctor.Finding{}
}

// ownFake is the fake Anytype on a fixed address, served by this process.
type ownFake struct {
	mu sync.Mutex
	n  int
	h  http.Handler
}

func (o *ownFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	o.n++
	o.mu.Unlock()
	o.h.ServeHTTP(w, r)
}

func (o *ownFake) Requests() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n
}

func startOwnFake(t *testing.T, addr string) *ownFake {
	t.Helper()
	ln, err := net.Listen("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := fakeanytype.New(fakeanytype.Config{})
	srv.SetURL("http://" + addr)
	o := &ownFake{h: srv}
	hs := &http.Server{Handler: o, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return o
}
