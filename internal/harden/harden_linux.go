package harden

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// setNotDumpable clears the dumpable flag (prctl(2) PR_SET_DUMPABLE): no
// core file, and /proc/PID/mem and ptrace are closed to other non-root
// processes of the same user.
func setNotDumpable() error {
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_DUMPABLE, 0): %w", err)
	}
	return nil
}

// Dumpable reports the process's dumpable flag, for tests.
func Dumpable() (bool, error) {
	v, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
	return v != 0, err
}
