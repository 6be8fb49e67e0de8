package packaging

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// autostartPath is $XDG_CONFIG_HOME/autostart/anykey.desktop. The XDG Base
// Directory spec says a relative XDG_CONFIG_HOME is invalid and must be
// ignored, so it then falls back to ~/.config.
func autostartPath() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find autostart dir: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", runName+".desktop"), nil
}

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
		return false, fmt.Errorf("read autostart entry: %w", err)
	}
	return desktopEntryEnabled(data), nil
}

func enableAutostart(exe string) error {
	path, err := autostartPath()
	if err != nil {
		return err
	}
	data, err := autostartEntry(exe)
	if err != nil {
		return err
	}
	// The config dir holds private settings (0700 when we are the ones to
	// create it); the autostart dir inside it is conventionally 0755.
	config := filepath.Dir(filepath.Dir(path))
	if err := os.MkdirAll(config, 0o700); err != nil {
		return fmt.Errorf("create config dir: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create autostart dir: %w", err)
	}
	return writeFileAtomic(path, data, 0o644)
}

// disableAutostart removes the file rather than writing Hidden=true: the
// packages install no system-wide entry in /etc/xdg/autostart that a hidden
// user entry would need to mask.
func disableAutostart() error {
	path, err := autostartPath()
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove autostart entry: %w", err)
	}
	return nil
}
