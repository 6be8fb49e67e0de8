// Package npx finds Node.js's npx when an MCP entry starts, not when the
// entry was written: an entry that names the npx of the shell it was made
// in stops working when that shell's Node goes (fnm puts a per-shell
// …/fnm_multishells/<pid>_<time>/bin on PATH, gone at the next login,
// Schniz/fnm#1366), and a client may start the entry with a PATH such as
// /usr/bin:/bin, or none at all (anthropics/claude-code#1254).
//
// [Find] looks, in order, on the PATH anykey was given (per-shell fnm
// directories last), then in the stable places Node version managers keep:
// volta's shims, fnm's default alias, nvm's default version, the asdf and
// mise shims; then in the system's directories. The facts about each
// manager's layout are in docs/mcp-clients.md ("Node version managers").
package npx

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Env is what Find looks at. OS is a GOOS value; Getenv reads the
// environment anykey was started with.
type Env struct {
	OS     string
	Home   string
	Getenv func(string) string
	// System, when not nil, replaces the system's directories (tests).
	System []string
}

func (e Env) get(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// ErrNoNode is returned when no npx is found anywhere Find looks.
var ErrNoNode = errors.New("no npx (Node.js) on PATH, nor where nvm, fnm, volta, asdf or mise keep it")

// Found is an npx and the PATH to run it with: its own directory first
// (npx starts node through `#!/usr/bin/env node`), then the system's.
type Found struct {
	NPX  string
	Path string
}

// Find returns the first npx found, see the package doc. An npx that
// another user could have put there, or can change, is passed over (it
// would get the key in its environment); when nothing else is found, the
// error (ErrNoNode) names the first one passed over and why.
func Find(env Env) (Found, error) {
	var skipped string
	for _, dir := range candidates(env) {
		p := executableIn(env.OS, dir, "npx")
		if p == "" {
			continue
		}
		if why := replaceable(p); why != "" {
			if skipped == "" {
				skipped = why
			}
			continue
		}
		return Found{NPX: p, Path: pathFor(env.OS, dir)}, nil
	}
	if skipped != "" {
		return Found{}, &NotUsedError{Why: skipped}
	}
	return Found{}, ErrNoNode
}

// NotUsedError is [ErrNoNode] when an npx was found but passed over
// because another user could have put it there or can change it.
type NotUsedError struct {
	Why string // which npx, and why
}

func (e *NotUsedError) Error() string { return ErrNoNode.Error() + " (not used: " + e.Why + ")" }

func (e *NotUsedError) Unwrap() error { return ErrNoNode }

// systemDirs are where a system-wide Node lives: package managers, the
// official installer, Homebrew and Linuxbrew.
func systemDirs(env Env) []string {
	if env.System != nil {
		return env.System
	}
	if env.OS == "windows" {
		var out []string
		for _, v := range []string{"ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"} {
			if d := env.get(v); d != "" {
				out = append(out, d+`\nodejs`)
			}
		}
		return out
	}
	return []string{"/usr/local/bin", "/opt/homebrew/bin", "/home/linuxbrew/.linuxbrew/bin", "/usr/bin", "/bin"}
}

// perShell reports a directory that belongs to one shell session.
func perShell(dir string) bool {
	return strings.Contains(filepath.ToSlash(dir), "/fnm_multishells/")
}

// candidates lists the directories to look in, in order.
func candidates(env Env) []string {
	sep := ":"
	if env.OS == "windows" {
		sep = ";"
	}
	var onPath, shells []string
	for _, d := range strings.Split(env.get("PATH"), sep) {
		switch {
		case !isAbs(env.OS, d):
			// A relative PATH entry depends on the working directory.
		case perShell(d):
			shells = append(shells, d)
		default:
			onPath = append(onPath, d)
		}
	}
	out := append(onPath, managerDirs(env)...)
	out = append(out, shells...)
	return append(out, systemDirs(env)...)
}

func isAbs(goos, p string) bool {
	if goos == "windows" {
		return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') || strings.HasPrefix(p, `\\`)
	}
	return strings.HasPrefix(p, "/")
}

// join builds a path for env.OS.
func (e Env) join(elem ...string) string {
	if e.OS == "windows" {
		return strings.Join(elem, `\`)
	}
	return filepath.Join(elem...)
}

// dataHome is $XDG_DATA_HOME, else ~/.local/share.
func (e Env) dataHome() string {
	if d := e.get("XDG_DATA_HOME"); isAbs(e.OS, d) {
		return d
	}
	return e.join(e.Home, ".local", "share")
}

// managerDirs are the stable bin directories of Node version managers.
func managerDirs(env Env) []string {
	if env.Home == "" {
		return nil
	}
	var out []string
	add := func(dirs ...string) { out = append(out, dirs...) }
	// volta: shims that pick the version per project.
	if d := env.get("VOLTA_HOME"); d != "" {
		add(env.join(d, "bin"))
	}
	if env.OS == "windows" {
		if d := env.get("LOCALAPPDATA"); d != "" {
			add(env.join(d, "Volta", "bin"))
		}
		// nvm-windows links the active version here.
		if d := env.get("NVM_SYMLINK"); d != "" {
			add(d)
		}
	} else {
		add(env.join(env.Home, ".volta", "bin"))
	}
	// fnm: the "default" alias links the version new shells get.
	var fnm []string
	if d := env.get("FNM_DIR"); d != "" {
		fnm = append(fnm, d)
	}
	switch env.OS {
	case "darwin":
		fnm = append(fnm, env.join(env.Home, "Library", "Application Support", "fnm"))
	case "windows":
		if d := env.get("APPDATA"); d != "" {
			fnm = append(fnm, env.join(d, "fnm"))
		}
	default:
		fnm = append(fnm, env.join(env.dataHome(), "fnm"))
	}
	fnm = append(fnm, env.join(env.Home, ".fnm"))
	for _, d := range fnm {
		if env.OS == "windows" {
			add(env.join(d, "aliases", "default"))
		} else {
			add(env.join(d, "aliases", "default", "bin"))
		}
	}
	// nvm: the version of its "default" alias.
	if env.OS != "windows" {
		nvm := env.get("NVM_DIR")
		if nvm == "" {
			nvm = env.join(env.Home, ".nvm")
		}
		if v := nvmDefault(nvm); v != "" {
			add(env.join(nvm, "versions", "node", v, "bin"))
		}
	}
	// asdf and mise: shims that read the user's tool versions.
	if d := env.get("ASDF_DATA_DIR"); d != "" {
		add(env.join(d, "shims"))
	}
	add(env.join(env.Home, ".asdf", "shims"))
	if d := env.get("MISE_DATA_DIR"); d != "" {
		add(env.join(d, "shims"))
	}
	add(env.join(env.dataHome(), "mise", "shims"))
	return out
}

// nvmDefault is the installed version directory (v20.11.0) that nvm's
// default alias names: an exact version, or the newest installed one with
// its prefix ("20", "v20.11"); for other aliases (lts/*, node, stable) or
// none, the newest installed version.
func nvmDefault(nvm string) string {
	ents, err := os.ReadDir(filepath.Join(nvm, "versions", "node"))
	if err != nil {
		return ""
	}
	var versions []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "v") && e.IsDir() {
			versions = append(versions, e.Name())
		}
	}
	sort.Slice(versions, func(i, j int) bool { return newer(versions[i], versions[j]) })
	alias, _ := os.ReadFile(filepath.Join(nvm, "alias", "default"))
	want := strings.TrimSpace(string(alias))
	if want != "" && (want[0] >= '0' && want[0] <= '9') {
		want = "v" + want
	}
	if strings.HasPrefix(want, "v") {
		for _, v := range versions {
			if v == want || strings.HasPrefix(v, want+".") {
				return v
			}
		}
	}
	if len(versions) == 0 {
		return ""
	}
	return versions[0]
}

// newer compares "vMAJOR.MINOR.PATCH" numerically.
func newer(a, b string) bool {
	pa, pb := strings.Split(a[1:], "."), strings.Split(b[1:], ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, _ := strconv.Atoi(pa[i])
		nb, _ := strconv.Atoi(pb[i])
		if na != nb {
			return na > nb
		}
	}
	return len(pa) > len(pb)
}

// executableIn returns dir/name (on Windows with npm's extensions) when it
// is an executable file, else "".
func executableIn(goos, dir, name string) string {
	exts := []string{""}
	if goos == "windows" {
		exts = []string{".cmd", ".exe", ".bat"}
	}
	for _, ext := range exts {
		p := filepath.Join(dir, name+ext)
		fi, err := os.Stat(p)
		if err == nil && fi.Mode().IsRegular() && (goos == "windows" || fi.Mode().Perm()&0o111 != 0) {
			return p
		}
	}
	return ""
}

// pathFor is the PATH an npx in dir runs with: dir, then the system's.
func pathFor(goos, dir string) string {
	if goos == "windows" {
		return dir
	}
	out := []string{dir}
	for _, d := range []string{"/usr/local/bin", "/usr/bin", "/bin"} {
		if d != dir {
			out = append(out, d)
		}
	}
	return strings.Join(out, ":")
}
