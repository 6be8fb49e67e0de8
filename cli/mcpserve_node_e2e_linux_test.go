package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// TestE2EMCPServeFindsNodeAtLaunch: the entry carries no PATH; started by
// a client whose PATH holds no Node, mcp serve's anytype-mcp path finds the
// npx of nvm's default version under HOME (issue 18 §3, Schniz/fnm#1366's
// class) and runs the real anytype-mcp through it.
func TestE2EMCPServeFindsNodeAtLaunch(t *testing.T) {
	t.Parallel()
	bundle := peerBundle(t)
	if _, err := exec.LookPath("node"); err != nil {
		if desktoptest.InCI() {
			t.Fatal("node is not installed; the machine's Node.js runs the real anytype-mcp")
		}
		t.Skip("node is not installed")
	}
	e := newE2E(t, fakeanytype.Config{})
	name := e.name("nvm")
	e.addKey(name, e.srv.AddKey(fakeanytype.KeyOptions{Name: "e2e"}))
	home := t.TempDir()
	bin := filepath.Join(home, ".nvm", "versions", "node", "v20.99.0", "bin")
	os.MkdirAll(bin, 0o755)
	os.MkdirAll(filepath.Join(home, ".nvm", "alias"), 0o755)
	os.WriteFile(filepath.Join(home, ".nvm", "alias", "default"), []byte("20\n"), 0o644)
	standin := "#!/bin/sh\n# stand-in for npx -y @anyproto/anytype-mcp\necho \"$0\" > \"$HOME/npx-ran\"\nexec node " + bundle + "\n"
	if err := os.WriteFile(filepath.Join(bin, "npx"), []byte(standin), 0o755); err != nil {
		t.Fatal(err)
	}
	e.extra = append(e.extra, "HOME="+home, "PATH=/nonexistent/bin")
	var stderr bytes.Buffer
	s, _ := serveClient(t, e, &stderr, name)
	tools, err := s.ListTools(context.Background(), nil)
	if err != nil || len(tools.Tools) == 0 {
		t.Fatalf("anytype-mcp's tools/list: %v\nstderr: %s", err, stderr.String())
	}
	s.Close()
	if ran, _ := os.ReadFile(filepath.Join(home, "npx-ran")); strings.TrimSpace(string(ran)) != filepath.Join(bin, "npx") {
		t.Errorf("ran %q, want nvm's npx", ran)
	}
}
