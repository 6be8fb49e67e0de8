package packaging

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// LaunchPath is the path that an entry starting anykey later (start at
// login, an MCP client's server entry) must name for the binary exe: exe
// with symlinks resolved, refused with a *[NotInstalledError] when that
// file will vanish or another user can recreate it (see [CheckInstalled]),
// and then given back under the stable name a package manager keeps for
// it, since the resolved path is versioned:
//   - Homebrew and Linuxbrew run <prefix>/bin/anykey ->
//     ../Cellar/anykey/<version>/bin/anykey, and `brew upgrade` deletes the
//     old keg: the path becomes <prefix>/opt/anykey/bin/anykey (or
//     <prefix>/bin/anykey).
//   - Nix profiles link ~/.nix-profile/bin/anykey to /nix/store/<hash>-…,
//     which garbage collection deletes once the profile moves on: the path
//     becomes the profile's link (~/.nix-profile/bin, the per-user or the
//     system profile).
//
// A stable name is used only when it exists and leads to the same file (for
// Homebrew: to the same formula's keg), so what the entry starts is what
// runs now.
func LaunchPath(exe string) (string, error) {
	exe, err := resolve(exe)
	if err != nil {
		return "", err
	}
	if err := checkInstalled(exe); err != nil {
		return "", err
	}
	home, _ := os.UserHomeDir()
	for _, alias := range stableAliases(exe, home, os.Getenv("USER")) {
		if leadsTo(alias, exe) {
			return alias, nil
		}
	}
	return exe, nil
}

// resolve makes exe absolute with symlinks resolved.
func resolve(exe string) (string, error) {
	if r, err := filepath.EvalSymlinks(exe); err == nil {
		exe = r
	}
	return filepath.Abs(exe)
}

// leadsTo reports whether alias resolves to target, or, for a Homebrew
// alias, into the same formula's Cellar directory (opt/ follows the newest
// keg, which is the one running after an upgrade).
func leadsTo(alias, target string) bool {
	r, err := filepath.EvalSymlinks(alias)
	if err != nil {
		return false
	}
	if r == target {
		return true
	}
	kr, ok1 := cellarFormula(r)
	kt, ok2 := cellarFormula(target)
	return ok1 && ok2 && kr == kt
}

// cellarFormula is <prefix>/Cellar/<formula> for a path inside a keg.
func cellarFormula(p string) (string, bool) {
	parts := strings.Split(filepath.ToSlash(p), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i] == "Cellar" && i+2 < len(parts) {
			return strings.Join(parts[:i+2], "/"), true
		}
	}
	return "", false
}

// stableAliases are the stable names a package manager gives the versioned
// path exe, best first.
func stableAliases(exe, home, user string) []string {
	if runtime.GOOS == "windows" {
		return nil
	}
	name := filepath.Base(exe)
	if f, ok := cellarFormula(exe); ok {
		prefix := filepath.Dir(filepath.Dir(filepath.FromSlash(f)))
		formula := filepath.Base(f)
		return []string{
			filepath.Join(prefix, "opt", formula, "bin", name),
			filepath.Join(prefix, "bin", name),
		}
	}
	if strings.HasPrefix(exe, "/nix/store/") {
		var out []string
		if home != "" {
			out = append(out, filepath.Join(home, ".nix-profile", "bin", name),
				filepath.Join(home, ".local", "state", "nix", "profile", "bin", name))
		}
		if user != "" {
			out = append(out, filepath.Join("/etc/profiles/per-user", user, "bin", name))
		}
		return append(out, filepath.Join("/run/current-system/sw/bin", name))
	}
	return nil
}
