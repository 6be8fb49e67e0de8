//go:build realclients

package realclients

// Each real client starts anykey's keyless entry (`anykey mcp serve NAME`,
// written by `anykey mcp --install CLIENT NAME` or the client's own add
// command that anykey prints) and talks to it, in a HOME of its own:
//   - claude mcp list must say Connected;
//   - gemini mcp list, in a trusted folder, must say Connected;
//   - codex app-server lists the server's tools and calls one itself (no
//     model, no login).
// In both Anytype generations: the fake serving Anytype's MCP endpoint
// (the entry bridges to it), and an older one without it (the entry runs
// the real anytype-mcp of ../shared/peers through a stand-in npx, since
// the registry here does not serve it).
//
// REALCLIENTS_BIN is the directory holding claude, gemini and codex;
// REALCLIENTS_CACHE a directory outside the temp dir for the anykey binary
// the entries name (packaging.LaunchPath refuses one in the temp dir).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

var (
	clientBin string // REALCLIENTS_BIN
	anykey    string // the anykey binary the entries start
)

func TestMain(m *testing.M) {
	clientBin = os.Getenv("REALCLIENTS_BIN")
	cache := os.Getenv("REALCLIENTS_CACHE")
	if clientBin == "" || cache == "" {
		fmt.Fprintln(os.Stderr, "realclients: set REALCLIENTS_BIN and REALCLIENTS_CACHE (scripts/test.sh's realclients step does)")
		os.Exit(1)
	}
	if err := os.MkdirAll(filepath.Join(cache, "bin"), 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "realclients:", err)
		os.Exit(1)
	}
	dir, err := os.MkdirTemp(filepath.Join(cache, "bin"), "run-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "realclients:", err)
		os.Exit(1)
	}
	os.Chmod(dir, 0o755)
	anykey = filepath.Join(dir, "anykey")
	// anykey_testkeychain: the keys the worlds save live under the tests'
	// own keychain service (keystore.TestService), never the user's; the
	// rest is the shipped anykey (its temp-binary refusal included).
	cmd := exec.Command("go", "build", "-tags", "anykey_testkeychain", "-o", anykey, ".")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "realclients: go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	printTable()
	os.Exit(code)
}

// results is the table the run prints at its end: client × generation.
var (
	resultsMu sync.Mutex
	results   = map[[2]string]string{}
)

func record(client, gen, result string) {
	resultsMu.Lock()
	defer resultsMu.Unlock()
	results[[2]string{client, gen}] = result
}

func printTable() {
	fmt.Println("realclients: client × Anytype generation")
	for _, c := range []string{"claude-code", "gemini", "gemini (printed add command)", "codex"} {
		for _, g := range []string{"with MCP endpoint", "without (anytype-mcp)"} {
			r := results[[2]string{c, g}]
			if r == "" {
				r = "not run"
			}
			fmt.Printf("  %-30s %-24s %s\n", c, g, r)
		}
	}
}

// world is one client run's private HOME, with a key saved in the
// desktop session's keychain and a fake Anytype.
type world struct {
	t    *testing.T
	home string
	work string // the client's working directory (Gemini's trusted folder)
	srv  *fakeanytype.Server
	name string
	key  string
	path string // PATH for anykey and the clients
}

func newWorld(t *testing.T, endpoint bool) *world {
	t.Helper()
	desktoptest.Require(t, desktoptest.SecretService)
	w := &world{t: t, home: t.TempDir(), srv: fakeanytype.Start(t, fakeanytype.Config{MCP: endpoint})}
	w.work = filepath.Join(w.home, "work")
	os.MkdirAll(w.work, 0o700)
	w.path = clientBin + ":/usr/local/bin:/usr/bin:/bin"
	if !endpoint {
		// The stand-in npx first on PATH: anytype-mcp is not on the
		// registry here, so it runs the real one from ../shared/peers.
		standin := filepath.Join(w.home, "standin")
		os.MkdirAll(standin, 0o700)
		script := "#!/bin/sh\n# stand-in for npx -y @anyproto/anytype-mcp\nexec node " + peerBundle(t) + "\n"
		if err := os.WriteFile(filepath.Join(standin, "npx"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		w.path = standin + ":" + w.path
	}
	w.name = fmt.Sprintf("realclients-%d", time.Now().UnixNano())
	w.key = w.srv.AddKey(fakeanytype.KeyOptions{Name: "realclients"})
	if r := w.anykey(strings.NewReader(w.key+"\n"), "add", w.name); r.err != nil {
		t.Fatalf("anykey add: %v\n%s", r.err, r.stderr)
	}
	t.Cleanup(func() { w.anykey(nil, "rm", w.name) })
	return w
}

// env is the environment anykey and the clients run with: the session's
// (bus, display), a HOME and config of the world's own, its PATH.
func (w *world) env() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME", "PATH", "XDG_CONFIG_HOME", "ANYKEY_CONFIG_DIR", "ANYKEY_API_URL", "CI", "GEMINI_CLI_HOME", "CODEX_HOME", "CLAUDE_CONFIG_DIR":
			continue
		}
		out = append(out, kv)
	}
	return append(out, "HOME="+w.home, "PATH="+w.path, "ANYKEY_API_URL="+w.srv.URL())
}

type result struct {
	stdout, stderr string
	err            error
}

// run runs argv in the world, with a deadline.
func (w *world) run(stdin *strings.Reader, timeout time.Duration, argv ...string) result {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env, cmd.Dir = w.env(), w.work
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	return result{out.String(), errb.String(), err}
}

func (w *world) anykey(stdin *strings.Reader, args ...string) result {
	return w.run(stdin, 2*time.Minute, append([]string{anykey}, args...)...)
}

func (w *world) install(client string) {
	w.t.Helper()
	if r := w.anykey(nil, "mcp", w.name, "--install", client); r.err != nil {
		w.t.Fatalf("anykey mcp --install %s: %v\n%s", client, r.err, r.stderr)
	}
}

// peerBundle is the real anytype-mcp of ../shared/peers.
func peerBundle(t *testing.T) string {
	t.Helper()
	dir, _ := filepath.Abs(".")
	for d := dir; filepath.Dir(d) != d; d = filepath.Dir(d) {
		p := filepath.Join(d, "shared", "peers", "anytype-mcp", "bundle.js")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Fatal("no shared/peers/anytype-mcp/bundle.js beside the repository")
	return ""
}

var generations = []struct {
	name     string
	endpoint bool
}{{"with MCP endpoint", true}, {"without (anytype-mcp)", false}}

// connected matches a list line saying the anytype server is connected.
var connected = regexp.MustCompile(`(?m)^.*anytype.*Connected`)

// served checks that the fake saw the entry's traffic: MCP requests on
// its endpoint, or anytype-mcp's OpenAPI fetch.
func (w *world) served(endpoint bool) bool {
	for _, r := range w.srv.Requests() {
		if endpoint && strings.HasPrefix(r.Path, "/mcp/") || !endpoint && r.Path == "/docs/openapi.json" {
			return true
		}
	}
	return false
}

func TestClaudeCode(t *testing.T) {
	for _, g := range generations {
		t.Run(g.name, func(t *testing.T) {
			w := newWorld(t, g.endpoint)
			w.install("claude-code") // through `claude mcp add-json`, on PATH
			r := w.run(nil, 2*time.Minute, filepath.Join(clientBin, "claude"), "mcp", "list")
			if r.err != nil || !connected.MatchString(r.stdout) || !w.served(g.endpoint) {
				record("claude-code", g.name, "FAILED")
				t.Fatalf("claude mcp list: %v\n%s%s", r.err, r.stdout, r.stderr)
			}
			record("claude-code", g.name, "Connected ("+strings.TrimSpace(connected.FindString(r.stdout))+")")
		})
	}
}

// trust makes the world's working directory a trusted folder for Gemini:
// it starts stdio servers nowhere else.
func (w *world) trust() {
	dir := filepath.Join(w.home, ".gemini")
	os.MkdirAll(dir, 0o700)
	b, _ := json.Marshal(map[string]string{w.work: "TRUST_FOLDER"})
	if err := os.WriteFile(filepath.Join(dir, "trustedFolders.json"), b, 0o600); err != nil {
		w.t.Fatal(err)
	}
}

func TestGemini(t *testing.T) {
	for _, g := range generations {
		t.Run(g.name, func(t *testing.T) {
			w := newWorld(t, g.endpoint)
			w.install("gemini")
			w.trust()
			r := w.run(nil, 2*time.Minute, filepath.Join(clientBin, "gemini"), "mcp", "list")
			if r.err != nil || !connected.MatchString(r.stdout+r.stderr) || !w.served(g.endpoint) {
				record("gemini", g.name, "FAILED")
				t.Fatalf("gemini mcp list: %v\n%s%s", r.err, r.stdout, r.stderr)
			}
			record("gemini", g.name, "Connected")
		})
	}
}

// TestGeminiPrintedAddCommand runs the `gemini mcp add` command line anykey
// prints (issue 18 §4: the name and the command before "--").
func TestGeminiPrintedAddCommand(t *testing.T) {
	for _, g := range generations {
		t.Run(g.name, func(t *testing.T) {
			w := newWorld(t, g.endpoint)
			r := w.anykey(nil, "mcp", w.name, "--client", "gemini")
			_, line, ok := strings.Cut(r.stderr, "hint: or let Gemini CLI add it: ")
			line, _, _ = strings.Cut(line, "\n")
			if !ok || !strings.Contains(r.stderr, "folders you trust") {
				t.Fatalf("no add command or trust hint:\n%s", r.stderr)
			}
			if r := w.run(nil, 2*time.Minute, "sh", "-c", line); r.err != nil {
				record("gemini (printed add command)", g.name, "FAILED: add")
				t.Fatalf("%s: %v\n%s%s", line, r.err, r.stdout, r.stderr)
			}
			w.trust()
			r = w.run(nil, 2*time.Minute, filepath.Join(clientBin, "gemini"), "mcp", "list")
			if r.err != nil || !connected.MatchString(r.stdout+r.stderr) {
				record("gemini (printed add command)", g.name, "FAILED")
				t.Fatalf("gemini mcp list: %v\n%s%s", r.err, r.stdout, r.stderr)
			}
			record("gemini (printed add command)", g.name, "Connected")
		})
	}
}

// rpc is a JSON-RPC connection to codex app-server over its stdio.
type rpc struct {
	t     *testing.T
	in    *bufio.Writer
	lines chan string
	next  int
}

func (c *rpc) send(method string, params any, notify bool) int {
	msg := map[string]any{"jsonrpc": "2.0", "method": method, "params": params}
	id := 0
	if !notify {
		c.next++
		id = c.next
		msg["id"] = id
	}
	b, _ := json.Marshal(msg)
	c.in.Write(append(b, '\n'))
	c.in.Flush()
	return id
}

// call sends a request and waits for its response, skipping notifications.
func (c *rpc) call(method string, params any, timeout time.Duration) (json.RawMessage, error) {
	id := c.send(method, params, false)
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-c.lines:
			if !ok {
				return nil, fmt.Errorf("%s: codex app-server ended", method)
			}
			var m struct {
				ID     *int            `json:"id"`
				Method string          `json:"method"`
				Result json.RawMessage `json:"result"`
				Error  json.RawMessage `json:"error"`
			}
			if json.Unmarshal([]byte(l), &m) != nil || m.ID == nil || *m.ID != id || m.Method != "" {
				continue
			}
			if len(m.Error) > 0 {
				return nil, fmt.Errorf("%s: %s", method, m.Error)
			}
			return m.Result, nil
		case <-deadline:
			return nil, fmt.Errorf("%s: no answer in %v", method, timeout)
		}
	}
}

func TestCodex(t *testing.T) {
	for _, g := range generations {
		t.Run(g.name, func(t *testing.T) {
			w := newWorld(t, g.endpoint)
			w.install("codex")
			conf, _ := os.ReadFile(filepath.Join(w.home, ".codex", "config.toml"))
			if !strings.Contains(string(conf), "env_vars = ['DBUS_SESSION_BUS_ADDRESS']") {
				t.Errorf("the Codex entry lacks env_vars:\n%s", conf)
			}
			fail := func(format string, args ...any) {
				t.Helper()
				record("codex", g.name, "FAILED")
				t.Fatalf(format, args...)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, filepath.Join(clientBin, "codex"), "app-server")
			cmd.Env, cmd.Dir = w.env(), w.work
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			cmd.WaitDelay = 5 * time.Second
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { stdin.Close(); cmd.Process.Kill(); cmd.Wait() }()
			c := &rpc{t: t, in: bufio.NewWriter(stdin), lines: make(chan string, 256)}
			go func() {
				sc := bufio.NewScanner(stdout)
				sc.Buffer(make([]byte, 1<<20), 16<<20)
				for sc.Scan() {
					c.lines <- sc.Text()
				}
				close(c.lines)
			}()
			if _, err := c.call("initialize", map[string]any{"clientInfo": map[string]string{"name": "anykey-realclients", "version": "1"}}, time.Minute); err != nil {
				fail("%v\n%s", err, stderr.String())
			}
			c.send("initialized", nil, true)
			res, err := c.call("thread/start", map[string]any{"cwd": w.work, "ephemeral": true}, time.Minute)
			if err != nil {
				fail("%v\n%s", err, stderr.String())
			}
			var th struct {
				Thread struct {
					ID string `json:"id"`
				} `json:"thread"`
			}
			json.Unmarshal(res, &th)
			if th.Thread.ID == "" {
				fail("thread/start gave no thread id: %s", res)
			}
			// The tools Codex got from the entry, then one call of its own.
			var tool string
			for i := 0; i < 60 && tool == ""; i++ {
				res, err = c.call("mcpServerStatus/list", map[string]any{}, time.Minute)
				if err != nil {
					fail("%v\n%s", err, stderr.String())
				}
				tool = listSpacesTool(res)
				if tool == "" {
					time.Sleep(500 * time.Millisecond)
				}
			}
			if tool == "" {
				fail("no list-spaces tool from the anytype server: %s\n%s", res, stderr.String())
			}
			res, err = c.call("mcpServer/tool/call", map[string]any{"server": "anytype", "threadId": th.Thread.ID, "tool": tool, "arguments": map[string]any{}}, time.Minute)
			if err != nil {
				fail("%v\n%s", err, stderr.String())
			}
			if strings.Contains(string(res), `"isError":true`) || !w.served(g.endpoint) {
				fail("%s: %s", tool, res)
			}
			if strings.Contains(stderr.String(), w.key) || strings.Contains(string(res), w.key) {
				t.Error("the key reached Codex's output")
			}
			t.Logf("codex called %s: %.300s", tool, res)
			record("codex", g.name, "tool "+tool+" called")
		})
	}
}

// listSpacesTool finds the anytype server's list-spaces tool in a
// mcpServerStatus/list result ({"data":[{"name","tools":{NAME:…}}]}):
// list_spaces on Anytype's own endpoint, API-list-spaces from anytype-mcp.
func listSpacesTool(res json.RawMessage) string {
	var st struct {
		Data []struct {
			Name  string                     `json:"name"`
			Tools map[string]json.RawMessage `json:"tools"`
		} `json:"data"`
	}
	json.Unmarshal(res, &st)
	for _, s := range st.Data {
		if s.Name != "anytype" {
			continue
		}
		for n := range s.Tools {
			if strings.HasSuffix(strings.ToLower(strings.ReplaceAll(n, "-", "_")), "list_spaces") {
				return n
			}
		}
	}
	return ""
}
