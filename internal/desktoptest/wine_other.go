//go:build !windows

package desktoptest

import "testing"

// Wine reports whether this process runs under Wine: never, off Windows.
func Wine() bool { return false }

// SkipUnderWine skips t under Wine (see the Windows version); off Windows
// it does nothing.
func SkipUnderWine(t testing.TB, why string) {}
