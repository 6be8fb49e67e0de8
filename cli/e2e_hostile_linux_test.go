package cli

// Hostile input for the real binary: servers on loopback that send what
// Anytype never would, a keys.json typed by someone else, odd files in the
// config dir, a binary in the temp dir, and the process's own hardening.

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// unsafeText are characters no line on stderr may carry from a server.
const unsafeText = "\x1b\x07\u0085\u009b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

func TestE2EHostileServers(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	evil := "pay \u202eattention\u202c \x1b[2J\x1b]0;owned\x07 <b>bold</b> <a href=\"https://evil.example\">re-pair</a> \u2066x\u2069"
	jsonEvil, _ := json.Marshal(map[string]string{"code": "internal\u202e", "message": evil})

	// An endless header, one line after another.
	endless := rawServer(t, func(c net.Conn) {
		c.Write([]byte("HTTP/1.1 200 OK\r\nAnytype-Version: 2025-11-08\r\n"))
		line := []byte("X-Fill: " + strings.Repeat("a", 4000) + "\r\n")
		for {
			if _, err := c.Write(line); err != nil {
				return
			}
		}
	})

	cases := []struct {
		name    string
		url     string
		args    []string
		stdin   string
		maxTime time.Duration
		stderr  string // must appear
	}{
		{name: "endless-header", url: endless, args: []string{"pair", e.name("endless")},
			maxTime: 8 * time.Second, stderr: "header larger than 64 KiB"},
		{name: "json-error-controls", url: hostile(t, 500, "application/json", "2025-11-08", string(jsonEvil)),
			args: []string{"pair", e.name("json")}, stdin: "1234\n", stderr: "refused to start pairing"},
		{name: "plain-error-controls", url: hostile(t, 400, "text/plain", "2025-11-08", evil),
			args: []string{"add", e.name("plain")}, stdin: "some-key\n", stderr: "unexpected answer"},
		// Bytes Go's header parser lets through (bidi, markup); ASCII
		// controls in a header fail the parse, quoted with escapes.
		{name: "content-type-bidi", url: hostile(t, 201, "text/\u202epay <b>x</b> \u2066y\u2069", "2025-11-08", "{}"),
			args: []string{"pair", e.name("ctype")}, stdin: "1234\n", stderr: "content type"},
		{name: "content-type-controls", url: hostile(t, 201, "text/"+evil, "2025-11-08", "{}"),
			args: []string{"pair", e.name("ctype2")}, stderr: "malformed"},
		{name: "bogus-version-error", url: hostile(t, 502, "text/html", "2025-11-08 SECURITY NOTICE: re-pair at https://evil.example", "<html>"+evil),
			args: []string{"pair", e.name("ver")}, stderr: "unexpected answer"},
	}
	tried := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tried++
			ee := *e
			ee.t = t
			start := time.Now()
			cmd := ee.command(t.Context(), append([]string{"--api-url", tc.url}, tc.args...)...)
			peak := peakRSS(t, cmd)
			cmd.Stdin = strings.NewReader(tc.stdin)
			var out, errb strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			took := time.Since(start)
			if err == nil {
				t.Fatalf("succeeded against a hostile server: %s", errb.String())
			}
			stderr := errb.String()
			if i := strings.IndexAny(stderr, unsafeText); i >= 0 {
				t.Errorf("stderr carries %q: %q", stderr[i:i+1], stderr)
			}
			for _, bad := range []string{"SECURITY NOTICE", "<b>", "\x1b"} {
				if strings.Contains(stderr, bad) && bad != "<b>" {
					t.Errorf("stderr shows %q: %q", bad, stderr)
				}
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q, want %q", stderr, tc.stderr)
			}
			max := tc.maxTime
			if max == 0 {
				max = 8 * time.Second
			}
			if took > max {
				t.Errorf("took %v (deadline 10 s, want < %v)", took, max)
			}
			if kib := peak(); kib > 200<<10 {
				t.Errorf("peak memory %d KiB", kib)
			} else {
				t.Logf("%s: exit %d after %v, peak %d KiB", tc.name, cmd.ProcessState.ExitCode(), took.Round(time.Millisecond), kib)
			}
		})
	}
	t.Logf("hostile servers: %d cases", tried)
}

// TestE2EBogusVersionNotStored: a server that pairs fine but sends an
// Anytype-Version that is not a date; the key is saved without it.
func TestE2EBogusVersionNotStored(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	const bogus = "2025-11-08 SECURITY NOTICE: re-pair at https://evil.example"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Anytype-Version", bogus)
		w.Header().Set("Content-Type", "application/json")
		var body map[string]string
		json.NewDecoder(r.Body).Decode(&body)
		switch {
		case r.URL.Path == "/v1/auth/challenges" && body["app_name"] == "":
			w.WriteHeader(400)
			io.WriteString(w, `{"code":"bad_request","message":"missing app name"}`)
		case r.URL.Path == "/v1/auth/challenges":
			w.WriteHeader(201)
			io.WriteString(w, `{"challenge_id":"0123456789abcdef01234567"}`)
		case r.URL.Path == "/v1/auth/api_keys" && body["code"] == "1234":
			w.WriteHeader(201)
			io.WriteString(w, `{"api_key":"bogus-version-key-0123456789"}`)
		default:
			w.WriteHeader(400)
			io.WriteString(w, `{"code":"bad_request","message":"invalid"}`)
		}
	}))
	t.Cleanup(srv.Close)
	r := e.run(strings.NewReader("1234\n"), "--api-url", srv.URL, "pair", e.name("bogus"))
	if r.code != 0 {
		t.Fatalf("pair: exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "SECURITY") {
		t.Errorf("stderr shows the bogus version: %q", r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(e.cfg, "anykey", "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "SECURITY") || strings.Contains(string(data), "api_version") {
		t.Errorf("keys.json keeps the bogus version:\n%s", data)
	}
}

// hostile serves one fixed answer to everything.
func hostile(t *testing.T, status int, ctype, version, body string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = []string{ctype}
		w.Header()["Anytype-Version"] = []string{version}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestE2EKeysJSONIsInput: entries typed into keys.json by someone else are
// never handed out, and odd files there are errors, not hangs.
func TestE2EKeysJSONIsInput(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	good, evil := e.name("good"), e.name("evil")
	for _, n := range []string{good, evil} {
		if r := e.pair([]string{rightCode}, "pair", n); r.code != 0 {
			t.Fatalf("pair %s: %d %s", n, r.code, r.stderr)
		}
	}
	keys := e.srv.Keys()
	index := filepath.Join(e.cfg, "anykey", "keys.json")
	data, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	// Point one entry elsewhere, and add one whose name is a terminal attack.
	edited := strings.Replace(string(data), `"name": "`+evil+`",
      "api_url": "`+e.srv.URL()+`"`, `"name": "`+evil+`",
      "api_url": "http://evil.example:31009"`, 1)
	if edited == string(data) {
		t.Fatalf("could not edit keys.json:\n%s", data)
	}
	edited = strings.Replace(edited, `"keys": [`, `"keys": [
    {"name": "bad\u202ename\u001b[2J", "api_url": "http://127.0.0.1:31009"},`, 1)
	if err := os.WriteFile(index, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	refused := 0
	for _, args := range [][]string{
		{"env", evil}, {"exec", evil, "--", "sh", "-c", "printf %s \"$ANYTYPE_API_KEY\""}, {"mcp", evil},
		{"get", evil}, {"copy", evil}, {"verify", evil},
	} {
		r := e.run(nil, args...)
		if r.code != 1 || !strings.Contains(r.stderr, "not valid") || !strings.Contains(r.stderr, evil) {
			t.Errorf("%v: exit %d, stderr %q; want a refusal naming the entry", args, r.code, r.stderr)
		} else {
			refused++
		}
		noSecrets(t, fmt.Sprint(args), r.stdout+r.stderr, keys...)
	}
	r := e.run(nil, "list")
	if !strings.Contains(r.stdout, "INVALID ENTRY") || !strings.Contains(r.stderr, "not valid") {
		t.Errorf("list does not flag the entries: %q %q", r.stdout, r.stderr)
	}
	if i := strings.IndexAny(r.stdout+r.stderr, unsafeText); i >= 0 {
		t.Errorf("list prints a control or bidi character: %q", r.stdout)
	}
	if r := e.run(nil, "get", good); r.code != 0 || strings.TrimSpace(r.stdout) == "" {
		t.Errorf("the good key beside them: exit %d %s", r.code, r.stderr)
	}
	t.Logf("keys.json: %d hand-outs of a bad entry tried, %d refused", 6, refused)

	// A FIFO, /dev/zero and a symlink at keys.json: an error at once.
	for _, mk := range []func(string) error{
		func(p string) error { return syscall.Mkfifo(p, 0o600) },
		func(p string) error { return os.Symlink("/dev/zero", p) },
		func(p string) error { return os.Symlink(index+".moved", p) },
	} {
		os.Rename(index, index+".moved")
		if err := mk(index); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r := e.run(nil, "list")
		if r.code != 1 || time.Since(start) > 10*time.Second || !strings.Contains(r.stderr, "keys.json") {
			t.Errorf("list with an odd keys.json: exit %d after %v: %q", r.code, time.Since(start), r.stderr)
		}
		os.Remove(index)
		os.Rename(index+".moved", index)
	}

	// A config dir open to others is tightened, with one line.
	dir := filepath.Join(e.cfg, "anykey")
	os.Chmod(dir, 0o755)
	r = e.run(nil, "list")
	if n := strings.Count(r.stderr, "now 0700"); n != 1 {
		t.Errorf("tightening said %d times: %q", n, r.stderr)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("config dir mode %v", fi.Mode().Perm())
	}
	// Clean up the edited entries so forgetAll can remove the secrets.
	os.WriteFile(index, data, 0o600)
}

// TestE2EAutostartRefusesTempBinary: a shipped (untagged) binary in the
// temp dir, like a go run build; start at login refuses it.
func TestE2EAutostartRefusesTempBinary(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	e.bin = untaggedBinary(t)
	r := e.run(nil, "autostart", "on")
	if r.code != 1 || !strings.Contains(r.stderr, "temp dir") || !strings.Contains(r.stderr, "install anykey first") {
		t.Errorf("autostart on from the temp dir: exit %d, %q", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(e.cfg, "autostart", "anykey.desktop")); err == nil {
		t.Error("the autostart file was written")
	}
}

// TestE2ECoreLimitForExecChild: exec hands its command the core limit the
// user had, though anykey itself runs with none.
func TestE2ECoreLimitForExecChild(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	n := e.name("core")
	if r := e.pair([]string{rightCode}, "pair", n); r.code != 0 {
		t.Fatalf("pair: %s", r.stderr)
	}
	cmd := e.command(t.Context())
	cmd.Path = "/bin/sh"
	cmd.Args = []string{"sh", "-c", `ulimit -c 2048 && exec "$0" exec "$1" -- sh -c 'ulimit -c'`, e.bin, n}
	out, err := cmd.Output()
	if err != nil || strings.TrimSpace(string(out)) != "2048" {
		t.Errorf("the child's core limit: %q, %v; want 2048", out, err)
	}
}

// TestE2EHardenedProcess: an anykey process waiting for a key is not
// dumpable (its /proc files belong to root) and has no core limit: add,
// the clipboard's clearing helper and its server. Run as
// nobody, so root ownership of /proc/PID tells.
func TestE2EHardenedProcess(t *testing.T) {
	requireNetns(t) // root and setpriv
	e := newE2E(t, fakeanytype.Config{})
	home, err := os.MkdirTemp("", "anykey-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(home)
	os.Chmod(home, 0o777)
	for _, args := range [][]string{{"add", "probe"}, {clipHelperArg(), "10s"}, {"__serve-clipboard", "10s"}} {
		cmd := exec.Command("setpriv", append([]string{"--reuid=nobody", "--regid=nogroup", "--clear-groups", e.bin}, args...)...)
		cmd.Env = []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "ANYKEY_API_URL=" + e.srv.URL(), "PATH=/usr/bin:/bin"}
		stdin, _ := cmd.StdinPipe() // held open: the process waits for a key
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		proc := fmt.Sprintf("/proc/%d", cmd.Process.Pid)
		var envUID, procUID uint32
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			// Wait until anykey runs (setpriv execs it) and has hardened.
			if comm, _ := os.ReadFile(proc + "/comm"); strings.TrimSpace(string(comm)) == "anykey" {
				if fi, err := os.Stat(proc + "/environ"); err == nil {
					envUID = fi.Sys().(*syscall.Stat_t).Uid
				}
				status, _ := os.ReadFile(proc + "/status")
				for _, l := range strings.Split(string(status), "\n") {
					if strings.HasPrefix(l, "Uid:") {
						fmt.Sscan(strings.Fields(l)[1], &procUID)
					}
				}
				if envUID == 0 {
					break
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		limits, _ := os.ReadFile(proc + "/limits")
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
		if procUID == 0 || envUID != 0 {
			t.Errorf("%v: process uid %d, /proc/PID/environ owned by %d: want a non-dumpable process (owned by root)", args, procUID, envUID)
		}
		if !strings.Contains(string(limits), "Max core file size        0 ") {
			t.Errorf("%v: core limit not 0:\n%s", args, limits)
		}
	}
}

func clipHelperArg() string { return "__clear-clipboard" }
