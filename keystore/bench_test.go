package keystore

import (
	"fmt"
	"testing"

	"github.com/zalando/go-keyring"
)

// BenchmarkListIndex100 is List's own cost with 100 keys: read and parse
// keys.json, with a keychain that answers at once.
func BenchmarkListIndex100(b *testing.B) {
	be := newMapBackend()
	k := testKeyring(b, be)
	fill(b, k, uniqueName(b, "bench"), 100)
	b.ResetTimer()
	for b.Loop() {
		es, err := k.List(b.Context())
		if err != nil || len(es) != 100 {
			b.Fatalf("List = %d, %v", len(es), err)
		}
	}
}

// BenchmarkListSecretService100 is List with 100 keys against the real
// Secret Service: keys.json plus one batch of calls (Collections, the
// default alias, two Locked reads, 100 SearchItems) on the process's
// godbus connection, which the benchmark loop reuses; scripts/bench.sh
// measures whole processes (budget for `anykey list`: 15 ms).
func BenchmarkListSecretService100(b *testing.B) {
	requireOSKeychain(b)
	k := testKeyring(b, nil)
	k.be = goKeyring{}
	b.Cleanup(func() {
		entries, _ := readIndex(k.IndexPath())
		for _, e := range entries {
			k.be.delete(service, e.Name)
		}
	})
	fill(b, k, uniqueName(b, "bench"), 100)
	b.ResetTimer()
	for b.Loop() {
		es, err := k.List(b.Context())
		if err != nil || len(es) != 100 || es[0].Missing {
			b.Fatalf("List = %d entries, %v", len(es), err)
		}
	}
}

// BenchmarkGetSecretService is one Get against the real Secret Service,
// next to a bare go-keyring Get, to show what Keyring adds.
func BenchmarkGetSecretService(b *testing.B) {
	requireOSKeychain(b)
	k := testKeyring(b, nil)
	k.be = goKeyring{}
	name := uniqueName(b, "bench-get")
	fill(b, k, name, 1)
	name += "-000"
	b.Cleanup(func() { k.be.delete(service, name) })
	b.Run("Keyring", func(b *testing.B) {
		for b.Loop() {
			if _, err := k.Get(b.Context(), name); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare-go-keyring", func(b *testing.B) {
		for b.Loop() {
			if _, err := keyring.Get(service, name); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func fill(b testing.TB, k *Keyring, base string, n int) {
	b.Helper()
	for i := range n {
		name := fmt.Sprintf("%s-%03d", base, i)
		if err := k.Set(b.Context(), testEntry(name), "secret-"+name, false); err != nil {
			b.Fatal(err)
		}
	}
}
