package keystore

import (
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// BenchmarkSecretServiceOwnerCheck is what each keychain call pays for
// asking who owns org.freedesktop.secrets (checkSharedOwner: one
// GetConnectionUnixUser, answered by the bus daemon), to set beside
// BenchmarkGetSecretService.
func BenchmarkSecretServiceOwnerCheck(b *testing.B) {
	desktoptest.Require(b, desktoptest.SecretService)
	conn, err := sessionBus()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := checkSharedOwner(conn); err != nil {
			b.Fatal(err)
		}
	}
}
