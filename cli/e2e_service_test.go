package cli

import (
	"errors"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// TestE2EOwnKeychainService: the anykey the end-to-end tests build keeps
// its keys under the tests' own service, keystore.TestService, and never
// under the user's (keystore.Service): a key it saves is found under the
// one and not the other. The lookup under the user's service only reads,
// and only the test's own random name.
func TestE2EOwnKeychainService(t *testing.T) {
	t.Parallel()
	if keystore.TestService == keystore.Service {
		t.Fatalf("keystore.TestService is the user's service %q", keystore.Service)
	}
	e := newE2E(t, fakeanytype.Config{})
	name := e.name("service")
	if r := e.run(strings.NewReader("k-own-service\n"), "add", name, "--no-verify"); r.code != 0 {
		t.Fatalf("add: %d %s", r.code, r.stderr)
	}
	if got, err := desktoptest.SecretToolLookup(t.Context(), keystore.TestService, name); err != nil || got != "k-own-service" {
		t.Errorf("under %q: %q, %v; want the key", keystore.TestService, got, err)
	}
	if got, err := desktoptest.SecretToolLookup(t.Context(), keystore.Service, name); !errors.Is(err, desktoptest.ErrNoSecret) {
		t.Errorf("the test build saved a key under the user's service %q: %d bytes, %v", keystore.Service, len(got), err)
	}
}
