package tray

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/anykey-app/anykey/keystore"
	"github.com/gofrs/flock"
)

// ErrAlreadyRunning means another tray holds the instance lock.
var ErrAlreadyRunning = errors.New("already running")

// LockPath is the single-instance lock file: in XDG_RUNTIME_DIR (one per
// login session, on a tmpfs that is emptied at logout) when set, else in
// anykey's config dir.
func LockPath() (string, error) {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "anykey-tray.lock"), nil
	}
	d, err := keystore.DefaultDir()
	if err != nil {
		return "", fmt.Errorf("finding the lock directory: %w", err)
	}
	return filepath.Join(d, "tray.lock"), nil
}

// Lock takes the single-instance lock at path, or fails with
// [ErrAlreadyRunning]. It is an OS file lock (flock, LockFileEx on
// Windows) rather than a D-Bus name: it works on all three systems, and the
// kernel drops it when the process dies, so a crash never leaves a stale
// lock. release unlocks it.
func Lock(path string) (release func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating the lock directory: %w", err)
	}
	fl := flock.New(path, flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	if !ok {
		return nil, ErrAlreadyRunning
	}
	return func() { fl.Unlock() }, nil
}
