package cli

// End-to-end tests of `anykey mcp serve`: the real binary started the way
// an MCP client starts a stdio server, driven by the MCP Go SDK's client,
// against the fake Anytype with and without its MCP endpoint.

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// serveClient starts `anykey mcp serve ARGS` and connects an MCP client to
// it; stderr collects what anykey printed there.
func serveClient(t *testing.T, e *e2e, stderr *bytes.Buffer, args ...string) (*mcp.ClientSession, *exec.Cmd) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	cmd := e.command(ctx, append([]string{"mcp", "serve"}, args...)...)
	cmd.Stderr = stderr
	c := mcp.NewClient(&mcp.Implementation{Name: "e2e", Version: "1"}, nil)
	s, err := c.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connecting to anykey mcp serve: %v\nstderr: %s", err, stderr)
	}
	return s, cmd
}

// addKey saves a key the fake issued under name.
func (e *e2e) addKey(name, key string) {
	e.t.Helper()
	if r := e.run(strings.NewReader(key+"\n"), "add", name); r.code != 0 {
		e.t.Fatalf("add: %+v", r)
	}
}

// noKeyIn fails when key shows in pid's argv or environment.
func noKeyIn(t *testing.T, pid int, key string) {
	t.Helper()
	for _, f := range []string{"cmdline", "environ"} {
		b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), f))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(key)) {
			t.Errorf("the key is in anykey's %s", f)
		}
	}
}

func TestE2EMCPServeBridge(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{MCP: true, PrefixedKeys: true})
	name := e.name("bridge")
	key := e.srv.AddKey(fakeanytype.KeyOptions{Name: "e2e"})
	e.addKey(name, key)
	var stderr bytes.Buffer
	s, cmd := serveClient(t, e, &stderr, name, "--tier", "small")
	noKeyIn(t, cmd.Process.Pid, key)
	ctx := context.Background()
	tools, err := s.ListTools(ctx, nil)
	if err != nil || len(tools.Tools) != 8 {
		t.Fatalf("tools/list: %v, %d tools", err, len(tools.Tools))
	}
	res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: "list_spaces"})
	if err != nil || res.IsError {
		t.Fatalf("tools/call: %v %+v", err, res)
	}
	if err := s.Close(); err != nil {
		t.Errorf("closing: %v", err)
	}
	deletes := 0
	for _, r := range e.srv.Requests() {
		if r.Method == "DELETE" && r.Path == "/mcp/small" {
			deletes++
		}
		if strings.HasPrefix(r.Path, "/mcp/") && r.Header.Get("Authorization") != "Bearer "+key && r.Body != nil && len(r.Body) > 0 {
			t.Errorf("%s %s without the key", r.Method, r.Path)
		}
	}
	if deletes != 1 {
		t.Errorf("%d DELETEs at the end of input, want 1", deletes)
	}
	if strings.Contains(stderr.String(), key) {
		t.Error("the key is in stderr")
	}
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 0 {
		t.Errorf("anykey mcp serve ended with %v; stderr: %s", cmd.ProcessState, stderr.String())
	}
}

// TestE2EMCPServeFallback: on an Anytype without the endpoint, mcp serve
// runs anytype-mcp (the real one, through a stand-in npx) with the key.
func TestE2EMCPServeFallback(t *testing.T) {
	t.Parallel()
	bundle := peerBundle(t)
	if _, err := exec.LookPath("node"); err != nil {
		if desktoptest.InCI() {
			t.Fatal("node is not installed; the machine's Node.js runs the real anytype-mcp")
		}
		t.Skip("node is not installed")
	}
	e := newE2E(t, fakeanytype.Config{})
	name := e.name("old")
	key := e.srv.AddKey(fakeanytype.KeyOptions{Name: "e2e"})
	e.addKey(name, key)
	bin := t.TempDir()
	npx := "#!/bin/sh\n# stand-in for npx -y @anyproto/anytype-mcp\nexec node " + bundle + "\n"
	if err := os.WriteFile(filepath.Join(bin, "npx"), []byte(npx), 0o755); err != nil {
		t.Fatal(err)
	}
	e.extra = append(e.extra, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	var stderr bytes.Buffer
	s, _ := serveClient(t, e, &stderr, name)
	if got := s.InitializeResult().ServerInfo.Name; strings.EqualFold(got, "anytype") {
		t.Errorf("server %q: the fake has no MCP endpoint, so this must be anytype-mcp", got)
	}
	tools, err := s.ListTools(context.Background(), nil)
	if err != nil || len(tools.Tools) == 0 {
		t.Fatalf("anytype-mcp's tools/list: %v\nstderr: %s", err, stderr.String())
	}
	s.Close()
	for _, r := range e.srv.Requests() {
		if r.Path == "/docs/openapi.json" {
			return // anytype-mcp started against the fake
		}
	}
	t.Error("anytype-mcp never asked the fake for its OpenAPI document")
}

// peerBundle finds the real anytype-mcp of ../shared/peers beside the
// repository (CI puts shared/ there); tests skip without it, except in CI.
func peerBundle(t *testing.T) string {
	t.Helper()
	dir, _ := filepath.Abs("..")
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "shared", "peers", "anytype-mcp", "bundle.js")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if desktoptest.InCI() {
		t.Fatal("no shared/peers/anytype-mcp/bundle.js beside the repository")
	}
	t.Skip("no shared/peers/anytype-mcp/bundle.js beside the repository")
	return ""
}

// TestE2EMCPServeNotRunning: with Anytype not running, mcp serve still
// starts and answers initialize at once with what to do; stderr says why.
func TestE2EMCPServeNotRunning(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{MCP: true})
	name := e.name("off")
	e.addKey(name, e.srv.AddKey(fakeanytype.KeyOptions{Name: "e2e"}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	off := "http://" + ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := e.command(ctx, "--api-url", off, "mcp", "serve", name)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	_, err = mcp.NewClient(&mcp.Implementation{Name: "e2e", Version: "1"}, nil).
		Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err == nil || !strings.Contains(err.Error(), "Anytype is not running at "+off) || !strings.Contains(err.Error(), "Start Anytype") {
		t.Errorf("initialize: %v, want the not-running hint", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the answer took %v", d)
	}
	if !strings.Contains(stderr.String(), "Anytype does not answer at "+off) {
		t.Errorf("stderr does not say Anytype is not answering: %q", stderr.String())
	}
}
