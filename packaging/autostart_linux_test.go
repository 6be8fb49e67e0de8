package packaging

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// These tests change the environment, so they do not run in parallel.

func TestLinuxAutostartRoundTrip(t *testing.T) {
	allowAnyExecutable(t)
	config := filepath.Join(t.TempDir(), "cfg") // not there yet: enable creates it
	t.Setenv("XDG_CONFIG_HOME", config)
	want := filepath.Join(config, "autostart", "anykey.desktop")

	path, err := AutostartPath()
	if err != nil || path != want {
		t.Fatalf("AutostartPath() = %q, %v; want %q", path, err, want)
	}
	if on, err := AutostartEnabled(); err != nil || on {
		t.Fatalf("before enable: %v, %v", on, err)
	}
	if err := DisableAutostart(); err != nil {
		t.Fatalf("disable while off: %v", err)
	}
	if err := EnableAutostart(); err != nil {
		t.Fatal(err)
	}
	if on, err := AutostartEnabled(); err != nil || !on {
		t.Fatalf("after enable: %v, %v", on, err)
	}

	fi, err := os.Stat(want)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("file mode %v, want 0644", fi.Mode().Perm())
	}
	if di, err := os.Stat(config); err != nil || di.Mode().Perm() != 0o700 {
		t.Errorf("created config dir: %v, %v; want 0700", di.Mode().Perm(), err)
	}
	data, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := executable()
	if err != nil {
		t.Fatal(err)
	}
	if got := unquoteExec(t, entryValue(t, data, "Exec")); len(got) != 2 || got[0] != exe || got[1] != "tray" {
		t.Errorf("Exec runs %q, want [%q tray]", got, exe)
	}
	if entries, _ := os.ReadDir(filepath.Dir(want)); len(entries) != 1 {
		t.Errorf("autostart dir holds %d entries, want 1 (temp file left over?)", len(entries))
	}

	// Enabling twice rewrites the same file.
	if err := EnableAutostart(); err != nil {
		t.Fatal(err)
	}

	// A user or a session tool can switch it off without deleting it.
	for _, off := range []string{"Hidden=true", "X-GNOME-Autostart-enabled=false"} {
		edited := strings.Replace(string(data), "X-GNOME-Autostart-enabled=true", off, 1)
		if err := os.WriteFile(want, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		if on, err := AutostartEnabled(); err != nil || on {
			t.Errorf("with %s: enabled = %v, %v", off, on, err)
		}
	}
	// Enabling again repairs it.
	if err := EnableAutostart(); err != nil {
		t.Fatal(err)
	}
	if on, err := AutostartEnabled(); err != nil || !on {
		t.Errorf("re-enable: %v, %v", on, err)
	}

	if err := DisableAutostart(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(want); !os.IsNotExist(err) {
		t.Errorf("file still there after disable: %v", err)
	}
	if on, err := AutostartEnabled(); err != nil || on {
		t.Errorf("after disable: %v, %v", on, err)
	}
}

func TestLinuxAutostartPathFallback(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, xdg := range []string{"", "relative/dir"} {
		t.Setenv("XDG_CONFIG_HOME", xdg)
		got, err := AutostartPath()
		if want := filepath.Join(home, ".config", "autostart", "anykey.desktop"); err != nil || got != want {
			t.Errorf("XDG_CONFIG_HOME=%q: %q, %v; want %q", xdg, got, err, want)
		}
	}
}

func TestLinuxAutostartUnreadable(t *testing.T) {
	allowAnyExecutable(t)
	// A directory where the file should be cannot be read, even by root
	// (which ignores file modes).
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	if err := os.MkdirAll(filepath.Join(config, "autostart", "anykey.desktop"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := AutostartEnabled(); err == nil {
		t.Error("a directory in place of the file read as a status")
	}
}
