package busdial

import (
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// The cost of the checks before dialing (docs/performance.md): the probe
// of each Unix entry, beside the whole connection it precedes (dial,
// SASL, Hello, the connection's own SO_PEERCRED check).
//
//	scripts/desktop-session.sh go test ./internal/busdial -run '^$' -bench .
func BenchmarkPreflight(b *testing.B) {
	desktoptest.Require(b, desktoptest.SessionBus)
	addr := Address()
	for b.Loop() {
		if err := preflight(addr); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConnect(b *testing.B) {
	desktoptest.Require(b, desktoptest.SessionBus)
	addr := Address()
	for b.Loop() {
		c, err := Connect(b.Context(), addr)
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}
