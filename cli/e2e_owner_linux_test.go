package cli

// Files in the config dir that are not the user's own: the dir or keys.json
// belonging to another user (who can change them whatever their mode), and
// a lock file that is not a regular file. Each is refused with a hint that
// names what to move, and nothing is written there.

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// nobodyUID is the uid of "nobody" on Debian and most Linux systems.
const nobodyUID = 65534

func TestE2EConfigNotOwned(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	dir := filepath.Join(e.cfg, "anykey")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, nobodyUID, -1); err != nil {
		t.Skipf("cannot give a directory to another user here (not root): %v", err)
	}
	const key = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI=\n"
	name := e.name("owned")
	for _, args := range [][]string{{"list"}, {"add", "--no-verify", name}, {"get", name}, {"env", name}} {
		r := e.run(strings.NewReader(key), args...)
		if r.code != 1 || !strings.Contains(r.stderr, "belongs to user nobody") || !strings.Contains(r.stderr, "hint: ") {
			t.Errorf("%v with the config dir owned by nobody: exit %d %q", args, r.code, r.stderr)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("anykey wrote into another user's dir: %v", ents)
	}

	// The dir is the user's, keys.json is not.
	os.Chown(dir, os.Geteuid(), -1)
	if r := e.run(strings.NewReader(key), "add", "--no-verify", name); r.code != 0 {
		t.Fatalf("add: %d %q", r.code, r.stderr)
	}
	index := filepath.Join(dir, "keys.json")
	before, _ := os.ReadFile(index)
	os.Chown(index, nobodyUID, -1)
	for _, args := range [][]string{{"list"}, {"get", name}, {"env", name}, {"exec", name, "--", "true"}, {"mcp", name}, {"verify"}} {
		r := e.run(nil, args...)
		if r.code != 1 || !strings.Contains(r.stderr, "belongs to user nobody") || !strings.Contains(r.stderr, "hint: ") {
			t.Errorf("%v with keys.json owned by nobody: exit %d %q", args, r.code, r.stderr)
		}
		if strings.Contains(r.stdout, strings.TrimSpace(key)) {
			t.Errorf("%v handed out the key: %q", args, r.stdout)
		}
	}
	if after, _ := os.ReadFile(index); string(after) != string(before) {
		t.Errorf("keys.json changed")
	}
	os.Chown(index, os.Geteuid(), -1)

	// A FIFO as the lock file: the hint is about that file, not keys.json.
	lock := filepath.Join(dir, "keys.json.lock")
	os.Remove(lock)
	if err := syscall.Mkfifo(lock, 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.run(strings.NewReader(key), "add", "--no-verify", "--force", name)
	if r.code != 1 || !strings.Contains(r.stderr, "keys.json.lock: not a regular file") || strings.Contains(r.stderr, "keys.json —") {
		t.Errorf("add with a FIFO lock: exit %d %q", r.code, r.stderr)
	}
	os.Remove(lock)
}
