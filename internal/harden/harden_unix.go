//go:build unix

package harden

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// noCoreDumps sets the soft core limit to 0 and keeps the hard one, so the
// limit can be put back for a child: an unprivileged process cannot raise
// a hard limit it lowered. Code in this process could raise the soft limit
// again, but none does, and on Linux the dumpable flag stops a dump anyway.
func noCoreDumps() (func(), error) {
	var old unix.Rlimit
	restore := func() {}
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &old); err != nil {
		return restore, fmt.Errorf("reading the core dump limit: %w", err)
	}
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: old.Max}); err != nil {
		return restore, fmt.Errorf("setting the core dump limit to 0: %w", err)
	}
	restore = func() { _ = unix.Setrlimit(unix.RLIMIT_CORE, &old) }
	return restore, setNotDumpable()
}
