package packaging

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows/registry"

	"github.com/anykey-app/anykey/icons"
)

// appUserModelID is anykey's AppUserModelID on Windows: [AppID], the
// AppStream id, so one reverse-DNS name identifies the app everywhere.
const appUserModelID = AppID

// aumidKey is where an unpackaged app declares its AppUserModelID so that
// toasts show its name and icon instead of being dropped or attributed to
// PowerShell (gen2brain/beeep#52, decred/dcrdex#2674).
const aumidKey = `Software\Classes\AppUserModelId\` + appUserModelID

// RegisterAppID registers anykey's AppUserModelID for the current user
// (HKCU\Software\Classes\AppUserModelId\<id>, values DisplayName and IconUri)
// and returns the id, which the caller sets as beeep.AppName before the first
// notification. It needs no admin rights and is cheap to call at every start.
//
// Call it before the first beeep.Notify: beeep's toast library writes
// DisplayName=<id> and IconUri=<a temporary PNG it deletes> into the same key
// when they are empty, and never overwrites values that are already set.
func RegisterAppID() (id string, err error) {
	icon, err := writeAppIcon()
	if err != nil {
		return appUserModelID, fmt.Errorf("registering AppUserModelID: %w", err)
	}
	k, _, err := registry.CreateKey(registry.CURRENT_USER, aumidKey, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		return appUserModelID, fmt.Errorf("registering AppUserModelID: %w", err)
	}
	defer k.Close()
	for _, v := range [][2]string{{"DisplayName", "anykey"}, {"IconUri", icon}} {
		if old, _, err := k.GetStringValue(v[0]); err == nil && old == v[1] {
			continue // already registered: leave the registry untouched
		}
		if err := k.SetStringValue(v[0], v[1]); err != nil {
			return appUserModelID, fmt.Errorf("registering AppUserModelID: setting %s: %w", v[0], err)
		}
	}
	return appUserModelID, nil
}

// writeAppIcon keeps a copy of the application icon at a stable path for
// IconUri (toasts read it from disk each time): %LocalAppData%\anykey\anykey.png.
// The file is rewritten only when its content differs.
func writeAppIcon() (string, error) {
	dir, err := os.UserCacheDir() // %LocalAppData% on Windows
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "anykey", "anykey.png")
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, icons.App) {
		return path, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, icons.App, 0o644); err != nil {
		return "", err
	}
	return path, nil
}
