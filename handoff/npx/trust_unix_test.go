//go:build unix

package npx

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindSkipsReplaceable: the npx found gets the key in its environment
// (anytype-mcp reads it from there), so an npx that another user could have
// put there, or can change, is never used: one under a directory every
// user can write to, one that every user can write, one that resolves
// into such a place, and one in a /tmp-like directory made by another user
// (fnm's per-shell directories live in /tmp, which is cleaned at boot:
// another user can make the same path afterwards).
func TestFindSkipsReplaceable(t *testing.T) {
	home := t.TempDir()
	safe := mkNPX(t, home, "safe/bin")
	open := mkNPX(t, home, "open/bin")
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"PATH": open + ":" + safe}
	if got, _ := find(envOf(home, vars)); got.NPX != filepath.Join(safe, "npx") {
		t.Errorf("an npx in a directory every user can write to was not skipped: %+v", got)
	}
	vars["PATH"] = open
	_, err := find(envOf(home, vars))
	if !errors.Is(err, ErrNoNode) || !strings.Contains(err.Error(), open) {
		t.Errorf("with only that npx: %v, want ErrNoNode naming %s", err, open)
	}

	// Every user can write the file itself.
	loose := mkNPX(t, home, "loose/bin")
	os.Chmod(filepath.Join(loose, "npx"), 0o757)
	vars["PATH"] = loose + ":" + safe
	if got, _ := find(envOf(home, vars)); got.NPX != filepath.Join(safe, "npx") {
		t.Errorf("an npx every user can write was not skipped: %+v", got)
	}

	// A link from a safe place into the open one.
	link := filepath.Join(home, "link", "bin")
	os.MkdirAll(link, 0o755)
	if err := os.Symlink(filepath.Join(open, "npx"), filepath.Join(link, "npx")); err != nil {
		t.Fatal(err)
	}
	vars["PATH"] = link + ":" + safe
	if got, _ := find(envOf(home, vars)); got.NPX != filepath.Join(safe, "npx") {
		t.Errorf("a link to an npx under a directory every user can write to was not skipped: %+v", got)
	}

	// A /tmp-like directory (every user can write, sticky): the user's own
	// entries in it are fine, another user's are not.
	tmp := filepath.Join(home, "tmp")
	os.Mkdir(tmp, 0o755)
	if err := os.Chmod(tmp, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	mine := mkNPX(t, tmp, "fnm_multishells/1_2/bin")
	vars["PATH"] = mine
	if got, _ := find(envOf(home, vars)); got.NPX != filepath.Join(mine, "npx") {
		t.Errorf("the user's own directory in a sticky one was skipped: %+v", got)
	}
	if os.Geteuid() != 0 {
		t.Log("not root: another user's directory in a sticky one is not tried")
		return
	}
	theirs := mkNPX(t, tmp, "fnm_multishells2/1_2/bin")
	if err := os.Lchown(filepath.Join(tmp, "fnm_multishells2"), 65534, 65534); err != nil {
		t.Fatal(err)
	}
	vars["PATH"] = theirs + ":" + safe
	if got, _ := find(envOf(home, vars)); got.NPX != filepath.Join(safe, "npx") {
		t.Errorf("another user's directory in a sticky one was not skipped: %+v", got)
	}
}
