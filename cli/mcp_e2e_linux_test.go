package cli

// The keyless MCP entry started the way MCP clients built on the MCP
// TypeScript SDK start a stdio server: `env -i` with HOME, LOGNAME, PATH,
// SHELL, TERM and USER plus the entry's env, the session bus reachable
// only at the systemd user-bus path /run/user/UID/bus. That path belongs to
// the machine's real session, so the test gives it a private mount
// namespace (unshare -m) with the test's own bus bound over the directory.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/handoff/mask"
	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// buildStandin builds testdata/standin as dir/npx.
func buildStandin(t *testing.T, dir string) string {
	t.Helper()
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "npx"), "./testdata/standin").CombinedOutput()
	if err != nil {
		t.Fatalf("building the stand-in: %v\n%s", err, out)
	}
	return dir
}

func TestE2EMCPKeylessEntryFromAClient(t *testing.T) {
	if os.Geteuid() != 0 {
		if desktoptest.InCI() {
			t.Fatal("CI runs as root; this test needs root for its mount namespace")
		}
		t.Skip("needs root for a private mount namespace (unshare -m)")
	}
	bus := desktoptest.StartPrivateBus(t, "gnome-keyring-daemon", "unshare")
	bus.StartKeyring()
	e := &e2e{t: t, bin: anykeyBinary(t), cfg: t.TempDir(), srv: fakeanytype.Start(t, fakeanytype.Config{}),
		prefix: "mcp-", extra: []string{"DBUS_SESSION_BUS_ADDRESS=" + bus.Addr}}
	name := e.name("work")
	if r := e.pair([]string{rightCode}, "pair", name); r.code != 0 {
		t.Fatalf("pair: %+v", r)
	}
	key := strings.TrimSpace(e.run(nil, "get", name).stdout)
	if key == "" {
		t.Fatal("no key saved")
	}

	// The config is made in the user's shell; Node is volta's, which the
	// entry finds when it starts (the stand-in plays npx there).
	home := t.TempDir()
	standin := buildStandin(t, filepath.Join(home, ".volta", "bin"))
	e.extra = append(e.extra, "HOME="+home, "PATH="+standin+":/usr/bin:/bin")
	r := e.run(nil, "mcp", name, "--client", "cursor")
	if r.code != 0 {
		t.Fatalf("mcp: %+v", r)
	}
	if strings.Contains(r.stdout+r.stderr, key) {
		t.Fatal("the keyless entry holds the key")
	}
	var doc struct {
		Servers map[string]mcpEntry `json:"mcpServers"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	ent := doc.Servers["anytype"]
	self, _ := filepath.EvalSymlinks(e.bin)
	wantArgs := []string{"mcp", "serve", name}
	if ent.Command != self || strings.Join(ent.Args, " ") != strings.Join(wantArgs, " ") {
		t.Fatalf("entry %+v, want %s %v", ent, self, wantArgs)
	}
	if ent.Env["ANYKEY_CONFIG_DIR"] != filepath.Join(e.cfg, "anykey") || ent.Env["HOME"] != home || ent.Env["PATH"] != "" {
		t.Fatalf("entry env %v", ent.Env)
	}

	// The client starts it (the fake has no MCP endpoint: mcp serve runs
	// anytype-mcp), in the client's short environment plus the entry's,
	// with no npx on its PATH.
	env := []string{"LOGNAME=root", "PATH=/nonexistent/bin", "SHELL=/bin/sh", "TERM=dumb", "USER=root"}
	for k, v := range ent.Env {
		env = append(env, k+"="+v)
	}
	script := `mount -t tmpfs tmpfs /run && mkdir -p "/run/user/$2" && mount --bind "$1" "/run/user/$2" && shift 2 && exec env -i "$@"`
	args := append([]string{"-m", "--propagation", "private", "sh", "-c", script, "sh", bus.Dir, fmt.Sprint(os.Getuid())}, env...)
	cmd := exec.Command("unshare", append(append(args, ent.Command), ent.Args...)...)
	stdin, _ := cmd.StdinPipe()
	stdoutPipe, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewReader(stdoutPipe)
	var stdout strings.Builder
	ask := func() string {
		t.Helper()
		io.WriteString(stdin, "call\n")
		got := make(chan string, 1)
		go func() { l, _ := lines.ReadString('\n'); got <- l }()
		select {
		case l := <-got:
			stdout.WriteString(l)
			return strings.TrimSpace(l)
		case <-time.After(30 * time.Second):
			t.Fatalf("no answer from the server; stderr:\n%s", stderr.String())
			return ""
		}
	}
	if got := ask(); got != "200" {
		t.Fatalf("first call: %q, want 200; stderr:\n%s", got, stderr.String())
	}
	e.srv.Revoke(key)
	if got := ask(); got != "401" {
		t.Fatalf("call after revoking: %q, want 401; stderr:\n%s", got, stderr.String())
	}
	stdin.Close()
	rest, _ := io.ReadAll(lines)
	stdout.Write(rest)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the entry exited with %v; stderr:\n%s", err, stderr.String())
	}
	if stdout.String() != "200\n401\n" {
		t.Errorf("stdout is not byte-exact: %q", stdout.String())
	}
	if strings.Contains(stderr.String(), key) {
		t.Fatalf("the key reached the client's log:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "Authorization: Bearer "+mask.Mask) {
		t.Errorf("stderr does not show the masked request:\n%s", stderr.String())
	}

	// What the server received: the key, the key's own URL, the entry's PATH.
	recorded, err := os.ReadFile(filepath.Join(standin, "env.txt"))
	if err != nil {
		t.Fatal(err)
	}
	renv := "\n" + string(recorded) + "\n"
	for _, want := range []string{"ANYTYPE_API_BASE_URL=" + e.srv.URL(), "PATH=" + standin + ":/usr/local/bin:/usr/bin:/bin:/nonexistent/bin", "HOME=" + home} {
		if !strings.Contains(renv, "\n"+want+"\n") {
			t.Errorf("the server's environment lacks %s:\n%s", want, recorded)
		}
	}
	if !strings.Contains(renv, `OPENAPI_MCP_HEADERS={"Authorization":"Bearer `+key+`"`) {
		t.Errorf("the server did not get the key in OPENAPI_MCP_HEADERS")
	}
	if strings.Contains(renv, "DBUS_SESSION_BUS_ADDRESS=unix:path="+bus.Dir) {
		t.Error("the test's bus address leaked into the client's environment")
	}

	// Without Node anywhere (volta's gone, the system's npx masked by
	// /dev/null, which is no regular file), the client's log says so in
	// one line, and stdout, the JSON-RPC channel, stays empty.
	os.RemoveAll(filepath.Join(home, ".volta"))
	noNode := `mount -t tmpfs tmpfs /run && mkdir -p "/run/user/$2" && mount --bind "$1" "/run/user/$2" && ` +
		`for f in /usr/local/bin/npx /usr/bin/npx; do [ -e "$f" ] && mount --bind /dev/null "$f"; done; shift 2 && exec env -i "$@"`
	args = append([]string{"-m", "--propagation", "private", "sh", "-c", noNode, "sh", bus.Dir, fmt.Sprint(os.Getuid())}, env...)
	nn := exec.Command("unshare", append(append(args, ent.Command), ent.Args...)...)
	var nnOut, nnErr strings.Builder
	nn.Stdout, nn.Stderr = &nnOut, &nnErr
	if err := nn.Run(); err == nil || nnOut.Len() != 0 ||
		!strings.Contains(nnErr.String(), "anykey: npx (Node.js) is not on PATH, nor where nvm, fnm, volta, asdf or mise keep it") {
		t.Errorf("without Node: %v, stdout %q, stderr:\n%s", err, nnOut.String(), nnErr.String())
	}

	// Without a user bus the server's stderr (the client's log) says why.
	noBus := `mount -t tmpfs tmpfs /run && exec env -i "$@"`
	args = append([]string{"-m", "--propagation", "private", "sh", "-c", noBus, "sh"}, env...)
	out, err := exec.Command("unshare", append(append(args, ent.Command), ent.Args...)...).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "anykey: no session bus") || !strings.Contains(string(out), "/run/user/") {
		t.Errorf("without a user bus: %v\n%s", err, out)
	}
}
