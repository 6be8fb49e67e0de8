//go:build linux

package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMCPClientEntries: each client file with an anytype entry is named,
// with whether the program it starts is still there.
func TestMCPClientEntries(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	bin := filepath.Join(home, "bin", "anykey")
	os.MkdirAll(filepath.Dir(bin), 0o755)
	os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755)
	write := func(rel, data string) {
		p := filepath.Join(home, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Cursor: anykey's keyless entry, whose binary is still there.
	write(".cursor/mcp.json", `{"mcpServers":{"anytype":{"command":"`+bin+`","args":["mcp","serve","work"]}}}`)
	// LM Studio: an entry starting a binary that is gone (a go run build).
	write(".lmstudio/mcp.json", `{"mcpServers":{"anytype":{"command":"/tmp/go-build123/exe/anykey","args":["exec","--mask","work","--","npx"]}}}`)

	fs := checkMCPClients(Options{Getenv: os.Getenv})
	byClient := map[string]Finding{}
	for _, f := range fs {
		byClient[f.Facts["client"]] = f
	}
	if f := byClient["cursor"]; f.Status != OK || !strings.Contains(f.Found, "starts "+bin) {
		t.Errorf("cursor: %+v", f)
	}
	if f := byClient["lm-studio"]; f.Status != Warning || !strings.Contains(f.Found, "/tmp/go-build123/exe/anykey, which is gone") ||
		!strings.Contains(f.Fix, "--install lm-studio --force") {
		t.Errorf("lm-studio: %+v", f)
	}
	if len(fs) != 2 {
		t.Errorf("%d findings, want the 2 clients with an entry: %+v", len(fs), fs)
	}
}

// TestAutostartEntryWhoseProgramIsGone: start at login on, but the binary
// it starts was moved or was a temporary build.
func TestAutostartEntryWhoseProgramIsGone(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	if f := checkAutostart(); f.Status != Info || !strings.Contains(f.Found, "off") {
		t.Errorf("no entry: %+v", f)
	}
	entry := filepath.Join(cfg, "autostart", "anykey.desktop")
	os.MkdirAll(filepath.Dir(entry), 0o755)
	os.WriteFile(entry, []byte("[Desktop Entry]\nType=Application\nName=anykey\nExec=/gone/anykey tray\nTryExec=/gone/anykey\n"), 0o644)
	if f := checkAutostart(); f.Status != Warning || !strings.Contains(f.Found, "/gone/anykey, which is gone") || !strings.Contains(f.Fix, "anykey autostart on") {
		t.Errorf("dangling entry: %+v", f)
	}
	self, _ := os.Executable()
	os.WriteFile(entry, []byte("[Desktop Entry]\nType=Application\nName=anykey\nExec="+self+" tray\nTryExec="+self+"\n"), 0o644)
	if f := checkAutostart(); f.Status != OK || !strings.Contains(f.Found, "starts "+self) {
		t.Errorf("working entry: %+v", f)
	}
}

// TestConfigFindings: a missing dir is fine, a damaged keys.json is
// missing with the fix, a dir open to others is a warning.
func TestConfigFindings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "anykey")
	o := Options{ConfigDir: dir, Getenv: os.Getenv}
	if f, _ := checkConfig(t.Context(), o); f.Status != OK || !strings.Contains(f.Found, "does not exist yet") {
		t.Errorf("no dir: %+v", f)
	}
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, "keys.json"), []byte("{not json"), 0o600)
	if f, _ := checkConfig(t.Context(), o); f.Status != Missing || !strings.Contains(f.Found, "cannot be read") || !strings.Contains(f.Fix, "move "+filepath.Join(dir, "keys.json")+" away") {
		t.Errorf("damaged keys.json: %+v", f)
	}
	os.Remove(filepath.Join(dir, "keys.json"))
	os.Chmod(dir, 0o755)
	if f, _ := checkConfig(t.Context(), o); f.Status != Warning || !strings.Contains(f.Found, "open to other users") || f.Fix != "chmod 700 "+dir {
		t.Errorf("open dir: %+v", f)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o755 {
		t.Errorf("doctor changed the dir's mode to %04o", fi.Mode().Perm())
	}
}
