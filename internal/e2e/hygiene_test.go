package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// Secret hygiene, measured: run every command, then look for the key in
// every place it must not be.

// forms are the shapes a leaked key could take: as is, base64 and hex
// encoded, JSON- and URL-escaped, its decoded bytes, and its two halves
// (a key cut across two lines or truncated in a log).
func forms(key string) map[string][]byte {
	m := map[string][]byte{
		"raw":       []byte(key),
		"base64":    []byte(base64.StdEncoding.EncodeToString([]byte(key))),
		"base64url": []byte(base64.RawURLEncoding.EncodeToString([]byte(key))),
		"hex":       []byte(hex.EncodeToString([]byte(key))),
		"json":      []byte(strings.NewReplacer("/", `\/`, "+", `\u002b`).Replace(key)),
		"url":       []byte(url.QueryEscape(key)),
		"head":      []byte(key[:len(key)/2]),
		"tail":      []byte(key[len(key)/2:]),
	}
	if raw, err := base64.StdEncoding.DecodeString(key); err == nil && len(raw) >= 16 {
		m["decoded"] = raw
	}
	return m
}

// leaks returns the forms of key found in data.
func leaks(key string, data []byte) []string {
	var found []string
	for name, f := range forms(key) {
		if bytes.Contains(data, f) {
			found = append(found, name)
		}
	}
	return found
}

// scanTree reports every file under root that holds key in any form.
func scanTree(t *testing.T, key, root string) (files int) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("reading %s: %v", p, err)
			return nil
		}
		files++
		if f := leaks(key, data); len(f) > 0 {
			t.Errorf("LEAK: %s holds the key (%v)", p, f)
		}
		return nil
	})
	return files
}

// scanCmdlines reports every process whose argv holds key; argv is
// readable by every local user (ps, /proc/PID/cmdline).
func scanCmdlines(t *testing.T, key string) (procs int) {
	t.Helper()
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue // gone meanwhile
		}
		procs++
		if f := leaks(key, data); len(f) > 0 {
			t.Errorf("LEAK: argv of pid %s holds the key (%v): %q", e.Name(), f, data)
		}
	}
	return procs
}

// becomes waits until process pid runs the program name (after execve).
func becomes(t *testing.T, pid int, name string) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		comm, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "comm"))
		if err == nil && strings.TrimSpace(string(comm)) == name {
			return
		}
	}
	t.Fatalf("pid %d did not become %s", pid, name)
}

func TestSecretHygiene(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService, desktoptest.Display)
	if _, err := exec.LookPath(clipTool()); err != nil {
		desktoptest.Require(t, desktoptest.Component(clipTool()))
	}
	desktoptest.LockGUI(t)
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	name, key := pairOne(t, s, fake, "hygiene")
	other := s.name("hygiene-added")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// The whole CLI; get/env/exec/mcp print the key on purpose (exempt).
	for _, c := range []struct {
		stdin  string
		args   []string
		exempt bool
		code   int
	}{
		{"", []string{"list"}, false, 0},
		{"", []string{"list", "--json"}, false, 0},
		{"", []string{"get", name}, true, 0},
		{"", []string{"env", name}, true, 0},
		{"", []string{"env", name, "--shell", "fish"}, true, 0},
		{"", []string{"env", name, "--shell", "powershell"}, true, 0},
		{"", []string{"exec", name, "--", "sh", "-c", `test "$ANYTYPE_API_KEY" = "$ANYTYPE_APP_KEY"`}, true, 0},
		{"", []string{"verify", name}, false, 0},
		{"", []string{"verify"}, false, 0},
		{key + "\n", []string{"add", other}, false, 0},
		// Failing paths: their error strings must not carry the key either.
		{key + "\n", []string{"add", other}, false, 1},            // exists
		{"", []string{"pair", name}, false, 1},                    // exists
		{"", []string{"get", "e2e-no-such-key"}, false, 1},        // unknown
		{"not-a-key\n", []string{"add", s.name("bad")}, false, 1}, // rejected by Anytype
	} {
		r := s.runWith(runOpts{exempt: c.exempt}, c.stdin, c.args...)
		if r.code != c.code {
			t.Errorf("exit %d, want %d:\n%s", r.code, c.code, r)
		}
		if c.args[0] == "get" && c.code == 0 && r.stdout != key+"\n" {
			t.Errorf("get printed %q, want the key and a newline", r.stdout)
		}
	}
	// mcp: the default entry is keyless, so it is not exempt; --inline
	// prints the key on purpose. A stand-in npx, since the entry resolves
	// it when it is made.
	npxDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(npxDir, "npx"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"mcp", name}, {"mcp", name, "--client", "codex"}, {"mcp", name, "--inline"}} {
		o := runOpts{env: []string{"PATH=" + npxDir + ":/usr/bin:/bin"}, exempt: len(args) == 3 && args[2] == "--inline"}
		if r := s.runWith(o, "", args...); r.code != 0 {
			t.Errorf("exit %d, want 0:\n%s", r.code, r)
		}
	}
	fake.Revoke(key)
	s.run("", "verify", name) // rejected now: that path too
	fake.Fault(fakeanytype.FaultHTML502)
	s.run("", "verify", name)
	fake.Fault(fakeanytype.FaultNone)

	// argv of every process while exec's command runs, with GOTRACEBACK=all
	// and a SIGQUIT to anykey's process: no output of it may show the key.
	// On Unix anykey has become the command (execve), so the SIGQUIT ends
	// sleep and no Go dump is printed at all.
	p := s.start(runOpts{exempt: true, env: []string{"GOTRACEBACK=all"}}, "exec", name, "--", "sleep", "3")
	p.stdin.Close()
	becomes(t, p.cmd.Process.Pid, "sleep")
	t.Logf("argv scanned in %d processes while exec ran", scanCmdlines(t, key))
	p.cmd.Process.Signal(syscall.SIGQUIT)
	r := p.wait(t, 30*time.Second)
	if f := leaks(key, []byte(r.stderr)); len(f) > 0 {
		t.Errorf("LEAK: exec's crash output holds the key (%v)", f)
	}
	t.Logf("exec after SIGQUIT: exit %d, goroutine dump %v", r.code, noDump.MatchString(r.stderr))

	// A pair waiting for its code, SIGQUIT: a dump, and no key in it.
	p = s.start(runOpts{env: []string{"GOTRACEBACK=all"}}, "pair", s.name("hygiene-quit"))
	if _, _, err := fake.WaitChallenge(ctx); err != nil {
		t.Fatal(err)
	}
	p.cmd.Process.Signal(syscall.SIGQUIT)
	r = p.wait(t, 30*time.Second)
	if !noDump.MatchString(r.stderr) {
		t.Errorf("no goroutine dump from a SIGQUIT pair: the crash path was not exercised\n%s", r)
	}

	// Clipboard: cleared after the delay; a clipboard the user changed is theirs.
	if r := s.run("", "copy", name, "--clear-after", "2s"); r.code != 0 {
		t.Fatalf("copy:\n%s", r)
	}
	if v, err := desktoptest.ReadClipboard(ctx); err != nil || v != key {
		t.Errorf("right after copy the clipboard holds %d bytes (err %v), want the key", len(v), err)
	}
	t.Logf("argv scanned in %d processes while the clipboard helper waited", scanCmdlines(t, key))
	time.Sleep(3 * time.Second)
	if v, _ := desktoptest.ReadClipboard(ctx); strings.Contains(v, key) {
		t.Errorf("LEAK: the key is still on the clipboard after the clear delay")
	}
	if r := s.run("", "copy", name, "--clear-after", "2s"); r.code != 0 {
		t.Fatalf("copy:\n%s", r)
	}
	if err := desktoptest.WriteClipboard(ctx, "the user's own text"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	if v, _ := desktoptest.ReadClipboard(ctx); v != "the user's own text" {
		t.Errorf("the clipboard the user changed was cleared or replaced: %q", v)
	}

	// Modes, before rm empties the index.
	for path, want := range map[string]os.FileMode{s.dir(): 0o700, s.index(): 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (err %v), want %v", path, fi.Mode().Perm(), err, want)
		}
	}
	for _, n := range []string{name, other} {
		if r := s.run("", "rm", n); r.code != 0 {
			t.Errorf("rm:\n%s", r)
		}
	}

	// Now look everywhere.
	files := scanTree(t, key, s.root) // HOME, config dir, TMPDIR
	outs := 0
	s.mu.Lock()
	for _, o := range s.outputs {
		outs++
		if f := leaks(key, []byte(o)); len(f) > 0 {
			t.Errorf("LEAK: output holds the key (%v): %q", f, o)
		}
	}
	s.mu.Unlock()
	if log := filepath.Join(desktoptest.SessionDir(), "notifications.log"); desktoptest.SessionDir() != "" {
		if data, err := os.ReadFile(log); err == nil {
			if f := leaks(key, data); len(f) > 0 {
				t.Errorf("LEAK: the notification log on the bus holds the key (%v)", f)
			}
		}
	}
	t.Logf("searched %d files, %d outputs, the notification log and argv for %d forms of the key", files, outs, len(forms(key)))
}

// TestLeakScanner: the scanner itself finds each encoded form and nothing
// in clean data, so a zero-leak result means something.
func TestLeakScanner(t *testing.T) {
	key := "zhSG/zQRmgADq+8sWb9d2fJ0x1c4o6yQp3ZkVnL7aEw="
	for name, f := range forms(key) {
		data := append([]byte("prefix "), append(f, " suffix"...)...)
		if got := leaks(key, data); len(got) == 0 {
			t.Errorf("form %s not found in %q", name, data)
		}
	}
	if got := leaks(key, []byte(`{"name":"x","api_url":"http://127.0.0.1:31009"}`)); len(got) != 0 {
		t.Errorf("clean data reported as leaking %v", got)
	}
}
