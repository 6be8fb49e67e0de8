package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// Faults of the local storage: keys.json damaged or unreadable, the config
// dir read-only, the keychain locked, no clipboard tool.

// pairOne pairs one key in s and returns its name and secret.
func pairOne(t *testing.T, s *sandbox, fake *fakeanytype.Server, prefix string) (string, string) {
	t.Helper()
	name := s.name(prefix)
	r, _ := s.pair(fake, name)
	if r.code != 0 {
		t.Fatalf("pair failed:\n%s", r)
	}
	keys := fake.Keys()
	return name, keys[len(keys)-1]
}

func TestFaultIndexCorrupt(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	name, key := pairOne(t, s, fake, "corrupt")
	// Truncated JSON, as a crash of some other writer might leave it.
	data, err := os.ReadFile(s.index())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.index(), data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	before := stat(t, s.index())
	for _, args := range [][]string{
		{"list"}, {"list", "--json"}, {"pair", s.name("corrupt-new")}, {"rm", name},
		{"add", s.name("corrupt-add"), "--no-verify"}, {"verify"},
	} {
		r := s.run(key+"\n", args...)
		wantFailure(t, r, 1, `damaged|keys\.json`)
		if !strings.Contains(r.stderr, "left untouched") {
			t.Errorf("no hint that the file was left as it was:\n%s", r)
		}
		sameFile(t, s.index(), before)
	}
	if fake.Challenges() != 1 {
		t.Errorf("%d challenges: pair spent one although it could not save", fake.Challenges())
	}
	// rm refused, so the secret is still there for the user to recover.
	if secret(t, name) != key {
		t.Errorf("the secret of %s is gone after commands on a damaged index", name)
	}
}

// TestFaultIndexUnreadable: keys.json is a directory (tests run as root, so
// chmod 000 would not stop a read). list, pair and rm read keys.json first,
// so they run anywhere; get asks the keychain first (it is the hot path)
// and reads keys.json only for a key the keychain lacks, so its case needs
// a Secret Service (without one get rightly says the keychain is missing).
func TestFaultIndexUnreadable(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"list"}, {"get", "x"}, {"pair", "unreadable"}, {"rm", "x"}} {
		t.Run(args[0], func(t *testing.T) {
			if args[0] == "get" {
				desktoptest.Require(t, desktoptest.SecretService)
			}
			s := newSandbox(t, closedURL(t))
			if err := os.MkdirAll(filepath.Join(s.index(), "x"), 0o700); err != nil {
				t.Fatal(err)
			}
			if args[0] == "pair" {
				args = []string{"pair", s.name(args[1])}
			}
			r := s.run("", args...)
			wantFailure(t, r, 1, `keys\.json`)
			if fi, err := os.Stat(filepath.Join(s.index(), "x")); err != nil || !fi.IsDir() {
				t.Fatalf("%v replaced the unreadable keys.json: %v", args, err)
			}
		})
	}
}

// readOnly returns a wrapper that runs the command with dir read-only: a
// private mount namespace with a read-only bind mount when root (root
// ignores file modes), else chmod 0500 for the test's duration.
func readOnly(t *testing.T, dir string) []string {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		return nil
	}
	script := `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"`
	w := []string{"unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", dir}
	if err := exec.Command(w[0], append(w[1:], "true")...).Run(); err != nil {
		if desktoptest.InCI() {
			t.Fatalf("cannot make a read-only mount as root (unshare -m): %v", err)
		}
		t.Skipf("cannot make a read-only mount as root (unshare -m): %v", err)
	}
	return w
}

func TestFaultConfigReadOnly(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	old, oldKey := pairOne(t, s, fake, "ro-old")
	before := stat(t, s.index())
	ro := runOpts{wrap: readOnly(t, s.dir())}

	// pair: Anytype mints, the keychain takes the secret, keys.json cannot
	// be written: the secret is taken back and the key goes to stdout.
	name := s.name("ro-new")
	p := s.start(ro, "pair", name)
	answer(t, fake, p, 20*time.Second)
	r := p.wait(t, 60*time.Second)
	keys := fake.Keys()
	wantFailure(t, r, 1, `was NOT saved.*read-only`)
	if len(keys) != 2 || r.stdout != keys[1]+"\n" {
		t.Errorf("stdout %q, want the new key", r.stdout)
	}
	if secret(t, name) != "" {
		t.Errorf("the secret of %s stayed in the keychain without a keys.json entry", name)
	}
	// rm: must not leave the key half-removed.
	r = s.runWith(ro, "", "rm", old)
	wantFailure(t, r, 1, `read-only`)
	if secret(t, old) != oldKey {
		t.Errorf("a failed rm removed the secret of %s but kept its keys.json entry", old)
	}
	sameFile(t, s.index(), before)
	if r := s.runWith(runOpts{wrap: ro.wrap, exempt: true}, "", "get", old); r.code != 0 || r.stdout != oldKey+"\n" {
		t.Errorf("get in a read-only config dir:\n%s", r)
	}
}

// TestFaultNoClipboardTool: with no clipboard tool on PATH, copy still works
// where anykey owns the selection itself (X11, and Wayland with data-control),
// and fails with the install hint where nothing can write the clipboard.
func TestFaultNoClipboardTool(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	name, key := pairOne(t, s, fake, "noclip")
	empty := filepath.Join(s.root, "emptybin")
	os.Mkdir(empty, 0o700)
	if os.Getenv("DISPLAY") != "" || desktoptest.Wayland() {
		r := s.runWith(runOpts{env: []string{"PATH=" + empty, "ANYKEY_CLIP_TIME=0"}}, "", "copy", name)
		if r.code != 0 {
			t.Fatalf("copy without a clipboard tool on a desktop anykey serves itself:\n%s", r)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if got, err := desktoptest.ReadClipboard(ctx); err != nil || got != key {
			t.Errorf("clipboard after copy without a tool: err %v, holds the key: %v", err, got == key)
		}
		desktoptest.WriteClipboard(ctx, "")
	}
	// No display at all and no tool: nothing can write a clipboard.
	r := s.runWith(runOpts{env: []string{"PATH=" + empty, "DISPLAY=", "WAYLAND_DISPLAY="}}, "", "copy", name)
	wantFailure(t, r, 1, `no clipboard tool`)
	if !strings.Contains(r.stderr, "apt install ") {
		t.Errorf("the hint does not name a package to install:\n%s", r)
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
