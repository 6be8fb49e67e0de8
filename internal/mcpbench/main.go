// Command mcpbench measures the budgets of `anykey mcp serve` (issue 18)
// against the fake Anytype with its MCP endpoint, side by side with the
// floors they are judged against, in one run:
//
//   - start: from starting the process to its answer to initialize, for
//     `anykey mcp serve NAME`, for anytype-mcp under node, and for
//     anytype-mcp started through npx; beside Anytype's own time for
//     initialize (a direct POST to the fake);
//   - memory: peak RSS (VmHWM) of each server after initialize and the
//     calls (for npx, of its whole process tree);
//   - per message: a tools/call round trip through the bridge against a
//     direct HTTP POST of the same message to the endpoint, keep-alive
//     (the floor) and with a new connection each time.
//
// scripts/bench-mcp.sh builds the release binary and runs this inside a
// private desktop session (the key is read from the Secret Service).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

const initLine = `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"mcpbench","version":"1"}}}`
const initializedLine = `{"jsonrpc":"2.0","method":"notifications/initialized"}`

func callLine(id int) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"search","arguments":{"query":"bench"}}}`, id)
}

func main() {
	anykey := flag.String("anykey", "", "the anykey binary to measure")
	bundle := flag.String("bundle", "", "anytype-mcp's bundle.js (shared/peers/anytype-mcp)")
	runs := flag.Int("runs", 20, "starts of each server")
	calls := flag.Int("calls", 300, "messages for the per-message figure")
	flag.Parse()
	if err := run(*anykey, *bundle, *runs, *calls); err != nil {
		fmt.Fprintf(os.Stderr, "mcpbench: %v\n", err)
		os.Exit(1)
	}
}

func run(anykey, bundle string, runs, calls int) error {
	srv := fakeanytype.New(fakeanytype.Config{MCP: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	srv.SetURL(base)
	go http.Serve(ln, srv)
	key := srv.AddKey(fakeanytype.KeyOptions{Name: "bench"})

	work, err := os.MkdirTemp("", "mcpbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	// The bench's own config dir; a user's ANYKEY_CONFIG_DIR would outrank
	// it and the bench's key would land in theirs.
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, keystore.EnvDir+"=") })
	env = append(env, "XDG_CONFIG_HOME="+filepath.Join(work, "config"), "ANYKEY_API_URL="+base)
	name := fmt.Sprintf("mcpbench-%d", os.Getpid())
	add := exec.Command(anykey, "add", name)
	add.Env, add.Stdin = env, strings.NewReader(key+"\n")
	if out, err := add.CombinedOutput(); err != nil {
		return fmt.Errorf("anykey add: %v: %s", err, out)
	}
	defer func() {
		rm := exec.Command(anykey, "rm", name)
		rm.Env = env
		rm.Run()
	}()

	// anytype-mcp through npx: a local package holding the bundle (the
	// registry here does not serve @anyproto/anytype-mcp), as `npx -y
	// @anyproto/anytype-mcp` runs it once cached.
	pkg := filepath.Join(work, "anytype-mcp")
	os.MkdirAll(pkg, 0o755)
	src, err := os.ReadFile(bundle)
	if err != nil {
		return err
	}
	os.WriteFile(filepath.Join(pkg, "bundle.mjs"), src, 0o755)
	os.WriteFile(filepath.Join(pkg, "package.json"), []byte(`{"name":"anytype-mcp","version":"1.2.10","bin":{"anytype-mcp":"bundle.mjs"}}`), 0o644)
	headers := fmt.Sprintf(`{"Authorization":"Bearer %s","Anytype-Version":"2025-11-08"}`, key)
	nodeEnv := append(os.Environ(), "OPENAPI_MCP_HEADERS="+headers, "ANYTYPE_API_BASE_URL="+base, "npm_config_yes=true")

	servers := []struct {
		label string
		argv  []string
		env   []string
		tree  bool
	}{
		{"anykey mcp serve NAME", []string{anykey, "mcp", "serve", name}, env, false},
		{"anytype-mcp under node", []string{"node", filepath.Join(pkg, "bundle.mjs")}, nodeEnv, false},
		{"anytype-mcp through npx", []string{"npx", "--yes", pkg}, nodeEnv, true},
	}
	starts := make([][]time.Duration, len(servers))
	rss := make([]int, len(servers))
	var gets []time.Duration // `anykey get NAME`: the same start and keychain read, no MCP
	// One warm-up each (npx installs the package in its cache once).
	for i := -1; i < runs; i++ {
		get := exec.Command(anykey, "get", name)
		get.Env = env
		t0 := time.Now()
		if err := get.Run(); err != nil {
			return fmt.Errorf("anykey get: %w", err)
		}
		if i >= 0 {
			gets = append(gets, time.Since(t0))
		}
		for j, s := range servers {
			d, kb, err := startOnce(s.argv, s.env, s.tree)
			if err != nil {
				return fmt.Errorf("%s: %w", s.label, err)
			}
			if i >= 0 {
				starts[j] = append(starts[j], d)
				rss[j] = max(rss[j], kb)
			}
		}
	}
	anytypeInit, err := directInit(base, key, runs)
	if err != nil {
		return err
	}
	bridged, err := bridgedCalls(servers[0].argv, env, calls)
	if err != nil {
		return err
	}
	keepAlive, fresh, err := directCalls(base, key, calls)
	if err != nil {
		return err
	}

	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	ok := func(good bool) string {
		if good {
			return "ok"
		}
		return "OVER"
	}
	bridgeStart, npxStart := median(starts[0]), median(starts[2])
	overhead := median(bridged) - median(keepAlive)
	fmt.Printf("%-52s %12s  %-28s\n", "what (medians)", "measured", "budget")
	fmt.Printf("%-52s %12s\n", "Anytype's own initialize (direct POST, the fake)", ms(anytypeInit))
	for j, s := range servers {
		fmt.Printf("%-52s %12s\n", "start to initialize answer: "+s.label, ms(median(starts[j])))
	}
	fmt.Printf("%-52s %12s\n", "  floor: anykey get NAME (start + keychain read)", ms(median(gets)))
	fmt.Printf("%-52s %12s  %-28s %s\n", "  mcp serve minus Anytype's own time", ms(bridgeStart-anytypeInit), "<= 50 ms", ok(bridgeStart-anytypeInit <= 50*time.Millisecond))
	ratio := float64(npxStart) / float64(bridgeStart)
	fmt.Printf("%-52s %11.1fx  %-28s %s\n", "  npx start / mcp serve start", ratio, ">= 10x", ok(ratio >= 10))
	for j, s := range servers {
		line := fmt.Sprintf("%-52s %9.1f MB", "peak RSS: "+s.label, float64(rss[j])/1024)
		if j == 0 {
			line += fmt.Sprintf("  %-28s %s", "<= 25 MB", ok(rss[j] <= 25*1024))
		}
		fmt.Println(line)
	}
	fmt.Printf("%-52s %12s\n", "tools/call through mcp serve (client round trip)", ms(median(bridged)))
	fmt.Printf("%-52s %12s\n", "tools/call as a direct POST, keep-alive (floor)", ms(median(keepAlive)))
	fmt.Printf("%-52s %12s\n", "tools/call as a direct POST, new connection", ms(median(fresh)))
	fmt.Printf("%-52s %12s  %-28s %s\n", "  added per message by mcp serve", ms(overhead), "<= 1 ms", ok(overhead <= time.Millisecond))
	if bridgeStart-anytypeInit > 50*time.Millisecond || ratio < 10 || rss[0] > 25*1024 || overhead > time.Millisecond {
		os.Exit(1)
	}
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// stdio is a started stdio server.
type stdio struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startServer(argv, env []string) (*stdio, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	var errb bytes.Buffer
	cmd.Stderr = &errb
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &stdio{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}, nil
}

// roundTrip writes one message and reads lines until the answer to it.
func (s *stdio) roundTrip(line string) (string, error) {
	if _, err := io.WriteString(s.in, line+"\n"); err != nil {
		return "", err
	}
	for {
		l, err := s.out.ReadString('\n')
		if err != nil {
			return "", fmt.Errorf("reading the answer: %w", err)
		}
		if strings.Contains(l, `"id":`) {
			if strings.Contains(l, `"error"`) {
				return l, fmt.Errorf("error answer: %s", l)
			}
			return l, nil
		}
	}
}

func (s *stdio) stop() {
	s.in.Close()
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// startOnce times one start to the initialize answer and returns the peak
// RSS in KiB (of the whole process tree when tree is set).
func startOnce(argv, env []string, tree bool) (time.Duration, int, error) {
	t0 := time.Now()
	s, err := startServer(argv, env)
	if err != nil {
		return 0, 0, err
	}
	defer s.stop()
	if _, err := s.roundTrip(initLine); err != nil {
		return 0, 0, err
	}
	d := time.Since(t0)
	io.WriteString(s.in, initializedLine+"\n")
	for i := 1; i <= 10; i++ {
		if _, err := s.roundTrip(`{"jsonrpc":"2.0","id":` + strconv.Itoa(i) + `,"method":"tools/list"}`); err != nil {
			return 0, 0, err
		}
	}
	kb := hwm(s.cmd.Process.Pid)
	if tree {
		kb = treeRSS(s.cmd.Process.Pid)
	}
	return d, kb, nil
}

// hwm is a process's peak resident set (VmHWM) in KiB.
func hwm(pid int) int { return statusKB(pid, "VmHWM:") }

func statusKB(pid int, field string) int {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, field) {
			n, _ := strconv.Atoi(strings.Fields(l)[1])
			return n
		}
	}
	return 0
}

// treeRSS sums the peak RSS of pid and its descendants.
func treeRSS(pid int) int {
	kids := map[int][]int{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) > 1 {
			pp, _ := strconv.Atoi(f[1])
			kids[pp] = append(kids[pp], p)
		}
	}
	total := 0
	var walk func(int)
	walk = func(p int) {
		total += hwm(p)
		for _, k := range kids[p] {
			walk(k)
		}
	}
	walk(pid)
	return total
}

// directInit times Anytype's own initialize: a POST from a keep-alive
// client, no process start.
func directInit(base, key string, runs int) (time.Duration, error) {
	c := &http.Client{}
	var ds []time.Duration
	for range runs {
		t0 := time.Now()
		sid, err := post(c, base, key, "", initLine)
		if err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(t0))
		del(c, base, key, sid)
	}
	return median(ds), nil
}

// bridgedCalls times tools/call round trips through one mcp serve.
func bridgedCalls(argv, env []string, n int) ([]time.Duration, error) {
	s, err := startServer(argv, env)
	if err != nil {
		return nil, err
	}
	defer s.stop()
	if _, err := s.roundTrip(initLine); err != nil {
		return nil, err
	}
	io.WriteString(s.in, initializedLine+"\n")
	var ds []time.Duration
	for i := 1; i <= n+20; i++ {
		t0 := time.Now()
		if _, err := s.roundTrip(callLine(i)); err != nil {
			return nil, err
		}
		if i > 20 {
			ds = append(ds, time.Since(t0))
		}
	}
	return ds, nil
}

// directCalls times the same tools/call as direct POSTs in one session,
// interleaved: keep-alive, then a new connection each time.
func directCalls(base, key string, n int) (keep, fresh []time.Duration, err error) {
	ka := &http.Client{}
	nc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	sid, err := post(ka, base, key, "", initLine)
	if err != nil {
		return nil, nil, err
	}
	defer del(ka, base, key, sid)
	post(ka, base, key, sid, initializedLine)
	for i := 1; i <= n+20; i++ {
		for _, c := range []*http.Client{ka, nc} {
			t0 := time.Now()
			if _, err := post(c, base, key, sid, callLine(i)); err != nil {
				return nil, nil, err
			}
			if i > 20 {
				if c == ka {
					keep = append(keep, time.Since(t0))
				} else {
					fresh = append(fresh, time.Since(t0))
				}
			}
		}
	}
	return keep, fresh, nil
}

func post(c *http.Client, base, key, sid, body string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/mcp/large", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Anytype-Version", "2025-11-08")
	if sid != "" {
		req.Header.Set("Mcp-Session-Id", sid)
		req.Header.Set("Mcp-Protocol-Version", "2025-06-18")
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return "", fmt.Errorf("POST: %s: %s", resp.Status, b)
	}
	if resp.StatusCode == http.StatusOK {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil || m["error"] != nil {
			return "", fmt.Errorf("POST answered %s", b)
		}
	}
	return resp.Header.Get("Mcp-Session-Id"), nil
}

func del(c *http.Client, base, key, sid string) {
	if sid == "" {
		return
	}
	req, _ := http.NewRequest(http.MethodDelete, base+"/mcp/large", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Mcp-Session-Id", sid)
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
	}
}
