package cli

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// TestE2EExecMaskStderrClosed: an MCP client that closes the server's
// stderr (or never reads it) and goes on with JSON-RPC on stdin/stdout.
// anykey must not die of SIGPIPE, and the server must keep running: its
// stderr is drained and discarded, far past a pipe buffer (issue 21 §5).
func TestE2EExecMaskStderrClosed(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	name := e.name("pipe")
	if r := e.pair([]string{rightCode}, "pair", name); r.code != 0 {
		t.Fatalf("pair: %+v", r)
	}
	marker := filepath.Join(t.TempDir(), "survived")
	// The server: says it is up, writes 1 MiB to stderr (16 pipe buffers),
	// then answers one line on stdin and leaves a marker.
	script := `echo up; head -c 1048576 /dev/zero | tr '\0' x >&2; read l; echo "got $l"; touch ` + marker
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := e.command(ctx, "exec", "--mask", name, "--", "sh", "-c", script)
	stdout, _ := cmd.StdoutPipe()
	stdin, _ := cmd.StdinPipe()
	er, ew, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = ew
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ew.Close()
	out := bufio.NewReader(stdout)
	if l, err := out.ReadString('\n'); err != nil || l != "up\n" {
		t.Fatalf("no start line: %q %v", l, err)
	}
	er.Close() // the client closes the server's stderr
	stdin.Write([]byte("ping\n"))
	l, _ := out.ReadString('\n')
	stdin.Close()
	err = cmd.Wait()
	if l != "got ping\n" {
		t.Errorf("the server did not answer after its stderr was closed: %q", l)
	}
	if err != nil {
		t.Errorf("anykey exec --mask: %v (want exit 0, not SIGPIPE)", err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("the server did not run to its end: %v", err)
	}
	if strings.Contains(l, "x") {
		t.Error("stderr bytes reached stdout")
	}
}
