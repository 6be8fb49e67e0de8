//go:build !unix

package desktoptest

import "testing"

// LockGUI serializes GUI tests across test binaries; the desktop session
// only exists on Linux, so elsewhere it does nothing.
func LockGUI(t testing.TB) { t.Helper() }
