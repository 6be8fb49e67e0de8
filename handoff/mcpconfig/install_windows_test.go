package mcpconfig

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestClaudeCodeCmdShimNeverRun: with Claude Code installed by npm as
// claude.cmd, install and uninstall never run it (cmd.exe would take & | <
// > ^ % in a key name as operators): they write ~/.claude.json themselves.
// The stand-in claude.cmd logs every run, and a name that would make
// cmd.exe write a file shows whether cmd.exe ever read the line.
func TestClaudeCodeCmdShimNeverRun(t *testing.T) {
	bin, out := t.TempDir(), t.TempDir()
	log, pwned := filepath.Join(out, "claude-ran.log"), filepath.Join(out, "pwned.txt")
	shim := filepath.Join(bin, "claude.cmd")
	if err := os.WriteFile(shim, []byte("@echo off\r\necho %* >> \""+log+"\"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The stand-in works: run directly, it logs (so the checks below can fail).
	if err := exec.Command(shim, "probe").Run(); err != nil {
		t.Fatalf("running the stand-in claude.cmd: %v", err)
	}
	if _, err := os.Stat(log); err != nil {
		t.Fatalf("the stand-in claude.cmd did not log: %v", err)
	}
	os.Remove(log)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	c, _ := Lookup("claude-code")
	env := testEnv(t)
	ctx := context.Background()
	for _, name := range []string{"x&echo INJECTED>" + pwned + "&rem", "R&D", "50%off%PATH%", "a^b|c<d>e", "plain"} {
		res, err := Install(ctx, c, env, keyless(name), true)
		if _, err := os.Stat(pwned); err == nil {
			t.Fatalf("INJECTION: installing %q made cmd.exe run a command from the key name (%s exists)", name, pwned)
		}
		if err != nil || res.Change == Unchanged {
			t.Fatalf("install %q: %+v, %v", name, res, err)
		}
		assertHolds(t, c, env, name)
		if st, _ := c.ReadStatus(env); st.Entry == nil || st.Entry.Args[len(st.Entry.Args)-1] != name {
			t.Errorf("install %q: the entry's args are %q", name, st.Entry.Args)
		}
	}
	if res, err := Uninstall(ctx, c, env, "plain", false); err != nil || res.Change != Removed {
		t.Fatalf("uninstall: %+v, %v", res, err)
	}
	if st, _ := c.ReadStatus(env); st.Entry != nil {
		t.Errorf("the entry is still there after uninstall: %+v", st.Entry)
	}
	if _, err := os.Stat(log); err == nil {
		data, _ := os.ReadFile(log)
		t.Errorf("claude.cmd was run (cmd.exe parsed the line):\n%s", data)
	}
	if _, err := os.Stat(pwned); err == nil {
		t.Errorf("INJECTION: cmd.exe ran a command from a key name (%s exists)", pwned)
	}
}
