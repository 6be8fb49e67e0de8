package desktoptest

import (
	"sync"
	"testing"

	"golang.org/x/sys/windows"
)

// Wine reports whether this Windows process runs under Wine rather than on
// Windows: Wine's ntdll.dll exports wine_get_version, Windows' does not
// (the detection Wine's own FAQ recommends).
var Wine = sync.OnceValue(func() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
})

// SkipUnderWine skips t under Wine, for a test that can only fail there
// because Wine lacks what Windows has (why says what), e.g. Wine 8's TCP
// table reports owning PID 0 for every listener, and Wine 8 has no AF_UNIX
// sockets. On Windows the test runs.
func SkipUnderWine(t testing.TB, why string) {
	t.Helper()
	if Wine() {
		t.Skip("under Wine: " + why)
	}
}
