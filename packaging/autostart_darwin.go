package packaging

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// autostartPath is ~/Library/LaunchAgents/<BundleID>.plist.
func autostartPath() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find launch agents dir: %w", err)
	}
	return filepath.Join(home, "Library", "LaunchAgents", BundleID+".plist"), nil
}

// autostartEnabled reads the plist too: a Disabled=true key, set by hand or
// by tools, means launchd will not start it.
func autostartEnabled() (bool, error) {
	path, err := autostartPath()
	if err != nil {
		return false, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read launch agent: %w", err)
	}
	dict, err := parsePlistDict(data)
	if err != nil {
		return false, fmt.Errorf("read launch agent %s: %w", path, err)
	}
	disabled, _ := dict["Disabled"].(bool)
	return !disabled, nil
}

// enableAutostart writes the plist only. It does not run `launchctl
// bootstrap`: with RunAtLoad that would start a second tray right now (the
// user is clicking in the first one); launchd reads the file at next login.
func enableAutostart(exe string) error {
	path, err := autostartPath()
	if err != nil {
		return err
	}
	data, err := launchAgentPlist(BundleID, exe)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create launch agents dir: %w", err)
	}
	return writeFileAtomic(path, data, 0o644)
}

// disableAutostart removes the plist without `launchctl bootout`, which
// would kill the running tray if launchd started it.
func disableAutostart() error {
	path, err := autostartPath()
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove launch agent: %w", err)
	}
	return nil
}
