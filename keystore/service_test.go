package keystore

import "testing"

// This package's tests store keys under TestService, never under the
// user's own Service (the end-to-end build does the same through its
// build tag, e2ebuild.go).
func init() { service = TestService }

// TestOwnService fails when the tests would use the user's service name.
func TestOwnService(t *testing.T) {
	if service == Service || TestService == Service {
		t.Fatalf("the tests store keys under %q, the user's own service", service)
	}
}
