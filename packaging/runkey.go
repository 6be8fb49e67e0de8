package packaging

import (
	"errors"
	"fmt"
)

// Registry locations under HKEY_CURRENT_USER for start at login on Windows.
const (
	runKey = `Software\Microsoft\Windows\CurrentVersion\Run`
	// Task Manager's Startup tab records the user's on/off choice here
	// without touching the Run value.
	approvedKey = `Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run`
)

// errNoValue is what a [regValues] returns for a missing key or value.
var errNoValue = errors.New("registry value not found")

// regValues is the part of HKCU that start at login needs. The real one wraps
// golang.org/x/sys/windows/registry; tests use a map.
type regValues interface {
	getString(key, name string) (string, error)
	setString(key, name, value string) error
	getBinary(key, name string) ([]byte, error)
	setBinary(key, name string, value []byte) error
	deleteValue(key, name string) error
}

// approvedOn is the 12-byte StartupApproved value Task Manager writes for an
// enabled entry: 02 then zeros. Disabled entries carry an odd first byte
// (03, or 07 seen in the wild) followed by the FILETIME of the change.
var approvedOn = []byte{0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

// runCommand is the Run value: the quoted executable (paths often contain
// spaces) and the tray command.
func runCommand(exe string) string { return `"` + exe + `" tray` }

// runEnabled is on when the Run value exists and Task Manager has not
// disabled it (no StartupApproved value, or one with an even first byte).
func runEnabled(r regValues) (bool, error) {
	if _, err := r.getString(runKey, runName); errors.Is(err, errNoValue) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("read Run value: %w", err)
	}
	flag, err := r.getBinary(approvedKey, runName)
	if errors.Is(err, errNoValue) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("read StartupApproved value: %w", err)
	}
	return len(flag) == 0 || flag[0]&1 == 0, nil
}

// runEnable writes the Run value and, if Task Manager had disabled the
// entry, marks it enabled again; otherwise the checkbox would turn on while
// Windows still skipped anykey at login.
func runEnable(r regValues, exe string) error {
	if err := r.setString(runKey, runName, runCommand(exe)); err != nil {
		return fmt.Errorf("write Run value: %w", err)
	}
	flag, err := r.getBinary(approvedKey, runName)
	if errors.Is(err, errNoValue) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read StartupApproved value: %w", err)
	}
	if len(flag) > 0 && flag[0]&1 == 0 {
		return nil
	}
	if err := r.setBinary(approvedKey, runName, approvedOn); err != nil {
		return fmt.Errorf("write StartupApproved value: %w", err)
	}
	return nil
}

// runDisable deletes the Run value and also the StartupApproved value: with
// no Run value it has no meaning, and a stale "disabled" flag left behind
// would silently veto the entry if it were ever written again by other
// means (an installer, or the user with reg.exe).
func runDisable(r regValues) error {
	if err := r.deleteValue(runKey, runName); err != nil && !errors.Is(err, errNoValue) {
		return fmt.Errorf("delete Run value: %w", err)
	}
	if err := r.deleteValue(approvedKey, runName); err != nil && !errors.Is(err, errNoValue) {
		return fmt.Errorf("delete StartupApproved value: %w", err)
	}
	return nil
}
