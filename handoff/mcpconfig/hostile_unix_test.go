//go:build unix

package mcpconfig

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestInstallRefusesSpecialFiles: a config path that is a named pipe, or a
// symlink to one or to a device such as /dev/null, is refused at once: no
// read that waits for a writer, no rename over the device.
func TestInstallRefusesSpecialFiles(t *testing.T) {
	c, _ := Lookup("cursor")
	kinds := map[string]func(t *testing.T, file string){
		"fifo": func(t *testing.T, file string) {
			if err := syscall.Mkfifo(file, 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"symlink to a fifo": func(t *testing.T, file string) {
			fifo := filepath.Join(t.TempDir(), "pipe")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			os.Symlink(fifo, file)
		},
		// A device node of the test's own (as root), not /dev/null itself:
		// a regression must not be able to replace the machine's.
		"symlink to a null device": func(t *testing.T, file string) {
			dev := filepath.Join(t.TempDir(), "null")
			if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
				t.Skipf("mknod needs root: %v", err)
			}
			os.Symlink(dev, file)
		},
	}
	for name, mk := range kinds {
		t.Run(name, func(t *testing.T) {
			env := testEnv(t)
			file := c.File(env)
			os.MkdirAll(filepath.Dir(file), 0o700)
			mk(t, file)
			before, _ := os.Lstat(file)
			_, err := installBounded(t, c, env)
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), file) {
				t.Errorf("got %v", err)
			}
			if _, err := c.ReadStatus(env); !errors.Is(err, ErrNotRegular) {
				t.Errorf("status: %v", err)
			}
			after, _ := os.Lstat(file)
			if !os.SameFile(before, after) || before.Mode() != after.Mode() {
				t.Error("the path was replaced")
			}
			if fi, err := os.Stat(file); err == nil && fi.Mode().IsRegular() {
				t.Error("the target became a regular file")
			}
			ents, _ := os.ReadDir(filepath.Dir(file))
			if len(ents) != 1 {
				t.Errorf("%d entries beside the file, want none", len(ents)-1)
			}
		})
	}
}

// TestClaudeCodeReplaceFails: when `claude mcp add-json` fails after the
// old entry was removed, the error says so and names the backup, which
// holds the file as it was; no key goes into claude's argv. An old entry
// that held a key is not kept in a backup at all.
func TestClaudeCodeReplaceFails(t *testing.T) {
	for _, tc := range []struct {
		name, old string
		backup    bool
	}{
		{"foreign", `{"mcpServers":{"anytype":{"command":"/usr/bin/other-server","args":["-v"]}},"projects":{}}`, true},
		{"with a key", `{"mcpServers":{"anytype":{"command":"npx","env":{"OPENAPI_MCP_HEADERS":"Bearer old-secret"}}},"projects":{}}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := t.TempDir()
			env := testEnv(t)
			file := filepath.Join(env.Home, ".claude.json")
			if err := os.WriteFile(file, []byte(tc.old), 0o600); err != nil {
				t.Fatal(err)
			}
			log := filepath.Join(bin, "argv.log")
			script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + log + "\n" +
				"case \"$2\" in add-json) echo 'Invalid configuration' >&2; exit 1;; remove) printf '{\"projects\":{}}' > " + file + ";; esac\n"
			if err := os.WriteFile(filepath.Join(bin, "claude"), []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			t.Setenv("PATH", bin+":/usr/bin:/bin")
			c, _ := Lookup("claude-code")
			res, err := Install(context.Background(), c, env, keyless("work"), true)
			if err == nil || !strings.Contains(err.Error(), "Invalid configuration") {
				t.Fatalf("got %+v, %v", res, err)
			}
			b, berr := os.ReadFile(file + BackupSuffix)
			switch {
			case tc.backup && (string(b) != tc.old || !strings.Contains(err.Error(), file+BackupSuffix)):
				t.Errorf("backup %q (%v), want the file as it was, named in %v", b, berr, err)
			case !tc.backup && (berr == nil || !res.KeyDropped || !strings.Contains(err.Error(), "held an API key")):
				t.Errorf("a backup of an entry with a key: %q, %v; %+v", b, berr, res)
			}
			if argv, _ := os.ReadFile(log); strings.Contains(string(argv), "old-secret") {
				t.Errorf("the old entry's key went into claude's argv:\n%s", argv)
			}
		})
	}
}
