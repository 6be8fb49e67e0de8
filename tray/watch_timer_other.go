//go:build !linux

package tray

// newIdleTimer is the runtime timer outside Linux (see idleTimer).
func newIdleTimer() idleTimer { return newRuntimeTimer() }
