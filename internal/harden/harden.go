// Package harden keeps a key held in memory out of core dumps and away
// from other processes of the same user.
//
// Call [NoCoreDumps] first thing in a process that will hold a key. On
// Linux it sets RLIMIT_CORE to 0 and PR_SET_DUMPABLE to 0; the latter also
// makes /proc/PID/mem, environ and ptrace off limits to the user's other
// non-root processes. A child started with execve becomes dumpable again,
// which is what a command run by `anykey exec` should be; call the
// returned restore before starting one so it also gets the core limit the
// user had. On other Unix systems only the core limit is set; on Windows
// nothing is done (see docs/security.md).
package harden

// NoCoreDumps turns core dumps off for this process. restore puts the core
// limit back as it was, for a child about to be started; the process stays
// non-dumpable. err says what could not be done; the caller may go on.
func NoCoreDumps() (restore func(), err error) { return noCoreDumps() }
