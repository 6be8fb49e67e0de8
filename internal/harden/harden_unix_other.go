//go:build unix && !linux

package harden

// setNotDumpable has no portable equivalent outside Linux (macOS has
// PT_DENY_ATTACH for ptrace only); the zero core limit is what remains.
func setNotDumpable() error { return nil }
