//go:build unix

package packaging

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// brewLayout makes a Homebrew prefix under root: the keg
// Cellar/anykey/VERSION/bin/anykey, bin/anykey and opt/anykey linked to it
// as brew links them. It returns the prefix.
func brewLayout(t *testing.T, root, version string, opt bool) string {
	t.Helper()
	prefix := filepath.Join(root, "homebrew")
	keg := filepath.Join(prefix, "Cellar", "anykey", version)
	for _, d := range []string{filepath.Join(keg, "bin"), filepath.Join(prefix, "bin"), filepath.Join(prefix, "opt")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(keg, "bin", "anykey"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := func(target, name string) {
		os.Remove(name)
		if err := os.Symlink(target, name); err != nil {
			t.Fatal(err)
		}
	}
	link(filepath.Join("..", "Cellar", "anykey", version, "bin", "anykey"), filepath.Join(prefix, "bin", "anykey"))
	if opt {
		link(filepath.Join("..", "Cellar", "anykey", version), filepath.Join(prefix, "opt", "anykey"))
	}
	return prefix
}

// TestLaunchPathHomebrew: a binary run from a Homebrew keg is named by
// the prefix's opt link, else its bin link, never by the Cellar path that
// brew upgrade deletes; after an upgrade the same entry starts the new keg.
func TestLaunchPathHomebrew(t *testing.T) {
	allowAnyExecutable(t)
	root := t.TempDir()
	prefix := brewLayout(t, root, "1.2.3", true)
	got, err := LaunchPath(filepath.Join(prefix, "bin", "anykey"))
	if want := filepath.Join(prefix, "opt", "anykey", "bin", "anykey"); err != nil || got != want {
		t.Errorf("LaunchPath = %q, %v; want %q", got, err, want)
	}
	// Run straight from the keg: the same stable name.
	if got2, _ := LaunchPath(filepath.Join(prefix, "Cellar", "anykey", "1.2.3", "bin", "anykey")); got2 != got {
		t.Errorf("from the keg: %q, want %q", got2, got)
	}
	// After `brew upgrade` the old keg is gone and opt follows the new one.
	brewLayout(t, root, "1.3.0", true)
	os.RemoveAll(filepath.Join(prefix, "Cellar", "anykey", "1.2.3"))
	if _, err := os.Stat(got); err != nil {
		t.Errorf("the entry's path is gone after an upgrade: %v", err)
	}

	// No opt link (older brew): bin/anykey.
	root2 := t.TempDir()
	prefix2 := brewLayout(t, root2, "1.2.3", false)
	if got, _ := LaunchPath(filepath.Join(prefix2, "bin", "anykey")); got != filepath.Join(prefix2, "bin", "anykey") {
		t.Errorf("without opt: %q", got)
	}
	// opt and bin lead to another formula: the keg path, as there is no
	// stable name for this binary.
	root3 := t.TempDir()
	prefix3 := brewLayout(t, root3, "1.2.3", false)
	other := filepath.Join(prefix3, "Cellar", "other", "1", "bin")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "anykey"), nil, 0o755)
	os.Remove(filepath.Join(prefix3, "bin", "anykey"))
	os.Symlink(filepath.Join(other, "anykey"), filepath.Join(prefix3, "bin", "anykey"))
	keg := filepath.Join(prefix3, "Cellar", "anykey", "1.2.3", "bin", "anykey")
	if got, _ := LaunchPath(keg); got != keg {
		t.Errorf("bin link to another formula: %q", got)
	}
}

// TestLaunchPathRefuses: LaunchPath refuses what start at login refuses.
func TestLaunchPathRefuses(t *testing.T) {
	if _, err := LaunchPath(filepath.Join(os.TempDir(), "go-build1", "b001", "exe", "anykey")); err == nil {
		t.Error("a go run binary was accepted")
	}
}

// TestStableAliasesNix: a Nix store path is named through the user's
// profile links first, then the system profile.
func TestStableAliasesNix(t *testing.T) {
	got := stableAliases("/nix/store/abc-anykey-1.0/bin/anykey", "/home/u", "u")
	want := []string{"/home/u/.nix-profile/bin/anykey", "/home/u/.local/state/nix/profile/bin/anykey",
		"/etc/profiles/per-user/u/bin/anykey", "/run/current-system/sw/bin/anykey"}
	if !slices.Equal(got, want) {
		t.Errorf("aliases %q", got)
	}
	if got := stableAliases("/usr/bin/anykey", "/home/u", "u"); got != nil {
		t.Errorf("a plain path has aliases %q", got)
	}
	// A profile link leads to the very store path, or is not used.
	root := t.TempDir()
	store := filepath.Join(root, "store-anykey")
	os.WriteFile(store, nil, 0o755)
	os.Symlink(store, filepath.Join(root, "profile-anykey"))
	if !leadsTo(filepath.Join(root, "profile-anykey"), store) || leadsTo(filepath.Join(root, "profile-anykey"), store+"-old") {
		t.Error("leadsTo")
	}
}

// TestAutostartNamesStablePath: start at login's Exec and TryExec name the
// Homebrew opt link, not the Cellar.
func TestAutostartNamesStablePath(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the XDG autostart file")
	}
	allowAnyExecutable(t)
	prefix := brewLayout(t, t.TempDir(), "2.0.0", true)
	old := osExecutable
	osExecutable = func() (string, error) { return filepath.Join(prefix, "bin", "anykey"), nil }
	t.Cleanup(func() { osExecutable = old })
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if err := EnableAutostart(); err != nil {
		t.Fatal(err)
	}
	path, _ := AutostartPath()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(prefix, "opt", "anykey", "bin", "anykey")
	if got := unquoteExec(t, entryValue(t, data, "Exec")); len(got) != 2 || got[0] != want {
		t.Errorf("Exec %q, want %q", got, want)
	}
	if got := entryValue(t, data, "TryExec"); got != want {
		t.Errorf("TryExec %q, want %q", got, want)
	}
}
