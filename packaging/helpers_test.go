package packaging

import "testing"

// allowAnyExecutable lets the autostart-file tests run from go test's
// build dir, which the real check refuses (TestNotInstalledReason).
func allowAnyExecutable(t *testing.T) {
	old := checkInstalled
	checkInstalled = func(string) error { return nil }
	t.Cleanup(func() { checkInstalled = old })
}
