package mcpconfig

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The variables that make this test binary act as a stand-in `claude`
// (fakeClaude): the log of its runs and the ~/.claude.json it writes.
const (
	fakeClaudeLog  = "MCPCONFIG_FAKE_CLAUDE_LOG"
	fakeClaudeFile = "MCPCONFIG_FAKE_CLAUDE_FILE"
)

func TestMain(m *testing.M) {
	if log := os.Getenv(fakeClaudeLog); log != "" {
		os.Exit(fakeClaude(log, os.Getenv(fakeClaudeFile), os.Args[1:]))
	}
	os.Exit(m.Run())
}

// fakeClaude is the stand-in Claude Code CLI: it appends its arguments,
// joined by spaces, to log, and writes file the way `claude mcp add-json
// -s user NAME JSON` and `claude mcp remove` would. A real executable, so
// the same stand-in runs on Windows (where a "#!/bin/sh" script is no
// program, and Claude Code's native installer puts claude.exe on PATH).
func fakeClaude(log, file string, args []string) int {
	f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return 1
	}
	io.WriteString(f, strings.Join(args, " ")+"\n")
	f.Close()
	var doc string
	switch {
	case len(args) == 6 && args[1] == "add-json":
		doc = `{"mcpServers":{"anytype":` + args[5] + `}}`
	case len(args) >= 2 && args[1] == "remove":
		doc = "{}"
	default:
		return 2
	}
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		return 1
	}
	return 0
}

// installFakeClaude puts a copy of this test binary on a PATH of its own
// as claude (claude.exe on Windows) and points it at log and file.
func installFakeClaude(t *testing.T, log, file string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	name := "claude"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	src, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(filepath.Join(bin, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	t.Setenv(fakeClaudeLog, log)
	t.Setenv(fakeClaudeFile, file)
}
