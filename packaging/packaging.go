// Package packaging holds anykey's OS integration: the files packagers
// install (desktop entry, AppStream metadata, Info.plist and LaunchAgent
// templates, Windows resources) and the start-at-login code that writes the
// same files for the current user.
//
// Start at login works without cgo everywhere: an XDG autostart file on
// Linux, a LaunchAgent plist on macOS and the HKCU Run value (honouring
// Task Manager's StartupApproved flag) on Windows. Other systems get an
// "unsupported platform" error.
package packaging

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// AppID is anykey's reverse-DNS application id for Linux (AppStream) and
// Windows (AppUserModelID). It is derived from github.com/anykey-app; the
// hyphen becomes an underscore, as AppStream asks.
const AppID = "io.github.anykey_app.anykey"

// BundleID is the macOS bundle identifier and LaunchAgent label. Apple
// allows only letters, digits, hyphens and dots, so it keeps the hyphen that
// [AppID] drops.
const BundleID = "io.github.anykey-app.anykey"

// runName is the name of the autostart entry: the XDG file anykey.desktop
// and the Windows Run value.
const runName = "anykey"

// ErrUnsupported is returned on systems without a start-at-login
// implementation.
var ErrUnsupported = errors.New("start at login: unsupported platform")

// AutostartEnabled reports whether anykey starts at login for this user
// (Linux: XDG autostart file; macOS: LaunchAgent; Windows: HKCU Run value,
// honouring StartupApproved).
func AutostartEnabled() (bool, error) { return autostartEnabled() }

// EnableAutostart makes the running binary (os.Executable) start with "tray"
// at login, under its [LaunchPath]. It refuses with a *[NotInstalledError]
// when that binary will vanish or others can replace it (temp dir, go run
// or go test build, a directory others can write).
func EnableAutostart() error {
	exe, err := executable()
	if err != nil {
		return err
	}
	if exe, err = LaunchPath(exe); err != nil {
		return err
	}
	return enableAutostart(exe)
}

// CheckInstalled reports, without changing anything, whether start at
// login would be refused for the running binary: nil, or a
// *[NotInstalledError].
func CheckInstalled() error {
	exe, err := executable()
	if err != nil {
		return err
	}
	return checkInstalled(exe)
}

// DisableAutostart undoes [EnableAutostart]; it is not an error if it was off.
func DisableAutostart() error { return disableAutostart() }

// AutostartPath tells where the autostart entry lives (for messages).
func AutostartPath() (string, error) { return autostartPath() }

// osExecutable is os.Executable; tests point it at a packaged layout.
var osExecutable = os.Executable

// executable is the absolute path of the running binary with symlinks
// resolved, so a login entry keeps working when the link is changed and, on
// macOS, points into the .app bundle.
func executable() (string, error) {
	exe, err := osExecutable()
	if err != nil {
		return "", fmt.Errorf("find own executable: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return filepath.Abs(exe)
}
