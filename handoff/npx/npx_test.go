//go:build unix

package npx

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// mkNPX makes an executable npx in dir (relative to root) and returns dir.
func mkNPX(t *testing.T, root, dir string) string {
	t.Helper()
	d := filepath.Join(root, dir)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, "npx"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

func envOf(home string, vars map[string]string) Env {
	return Env{OS: runtime.GOOS, Home: home, Getenv: func(k string) string { return vars[k] }}
}

// TestFindManagers: each version manager's stable place is found with a
// PATH that holds no Node (a client's /usr/bin:/bin without it, or none).
func TestFindManagers(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG layout")
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, home string) (want string, vars map[string]string)
	}{
		{"volta", func(t *testing.T, home string) (string, map[string]string) {
			return mkNPX(t, home, ".volta/bin"), nil
		}},
		{"fnm default alias", func(t *testing.T, home string) (string, map[string]string) {
			inst := mkNPX(t, home, ".local/share/fnm/node-versions/v22.1.0/installation/bin")
			os.MkdirAll(filepath.Join(home, ".local/share/fnm/aliases"), 0o755)
			os.Symlink(filepath.Dir(inst), filepath.Join(home, ".local/share/fnm/aliases/default"))
			return filepath.Join(home, ".local/share/fnm/aliases/default/bin"), nil
		}},
		{"fnm with FNM_DIR", func(t *testing.T, home string) (string, map[string]string) {
			return mkNPX(t, home, "fnmroot/aliases/default/bin"), map[string]string{"FNM_DIR": filepath.Join(home, "fnmroot")}
		}},
		{"nvm default alias", func(t *testing.T, home string) (string, map[string]string) {
			mkNPX(t, home, ".nvm/versions/node/v22.3.0/bin")
			want := mkNPX(t, home, ".nvm/versions/node/v20.11.1/bin")
			mkNPX(t, home, ".nvm/versions/node/v20.9.0/bin")
			os.MkdirAll(filepath.Join(home, ".nvm/alias"), 0o755)
			os.WriteFile(filepath.Join(home, ".nvm/alias/default"), []byte("20\n"), 0o644)
			return want, nil
		}},
		{"nvm lts alias: newest", func(t *testing.T, home string) (string, map[string]string) {
			mkNPX(t, home, ".nvm/versions/node/v9.11.2/bin")
			want := mkNPX(t, home, ".nvm/versions/node/v22.3.0/bin")
			os.MkdirAll(filepath.Join(home, ".nvm/alias"), 0o755)
			os.WriteFile(filepath.Join(home, ".nvm/alias/default"), []byte("lts/*\n"), 0o644)
			return want, nil
		}},
		{"asdf shims", func(t *testing.T, home string) (string, map[string]string) {
			return mkNPX(t, home, ".asdf/shims"), nil
		}},
		{"mise shims", func(t *testing.T, home string) (string, map[string]string) {
			return mkNPX(t, home, ".local/share/mise/shims"), nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			want, vars := tc.setup(t, home)
			if vars == nil {
				vars = map[string]string{}
			}
			vars["PATH"] = filepath.Join(home, "empty")
			got, err := find(envOf(home, vars))
			if err != nil || got.NPX != filepath.Join(want, "npx") || !strings.HasPrefix(got.Path, want+":") {
				t.Errorf("Find = %+v, %v; want %s", got, err, want)
			}
		})
	}
}

// find is Find without the system directories, which may hold a real npx
// on the machine running the tests.
func find(env Env) (Found, error) {
	env.System = []string{}
	return Find(env)
}

// TestFindOrder: PATH first; a per-shell fnm directory only after the
// stable places (it is gone at the next login, Schniz/fnm#1366); relative
// PATH entries never.
func TestFindOrder(t *testing.T) {
	home := t.TempDir()
	onPath := mkNPX(t, home, "bin")
	shell := mkNPX(t, home, ".local/state/fnm_multishells/4242_1700000000/bin")
	volta := mkNPX(t, home, ".volta/bin")
	vars := map[string]string{"PATH": "relative/bin:" + shell + ":" + onPath}
	if got, _ := find(envOf(home, vars)); got.NPX != filepath.Join(onPath, "npx") {
		t.Errorf("PATH first: %+v", got)
	}
	vars["PATH"] = shell
	if got, _ := find(envOf(home, vars)); got.NPX != filepath.Join(volta, "npx") {
		t.Errorf("volta before a per-shell dir: %+v", got)
	}
	os.RemoveAll(volta)
	if got, _ := find(envOf(home, vars)); got.NPX != filepath.Join(shell, "npx") {
		t.Errorf("the per-shell dir as a last resort: %+v", got)
	}
	os.RemoveAll(filepath.Dir(filepath.Dir(shell)))
	if _, err := find(envOf(home, vars)); !errors.Is(err, ErrNoNode) {
		t.Errorf("nothing: %v", err)
	}
	// Not executable: not npx.
	os.Chmod(filepath.Join(onPath, "npx"), 0o644)
	vars["PATH"] = onPath
	if _, err := find(envOf(home, vars)); !errors.Is(err, ErrNoNode) {
		t.Errorf("a non-executable npx: %v", err)
	}
	// Without HOME (a bare client): PATH and the system only.
	if len(managerDirs(envOf("", vars))) != 0 {
		t.Error("manager dirs without HOME")
	}
}
