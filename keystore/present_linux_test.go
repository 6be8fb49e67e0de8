package keystore

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/zalando/go-keyring"
)

// TestItemCache checks the Linux fast path of List: Set records item
// paths, and List stays right with a cache that is damaged or stale.
func TestItemCache(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	for _, tc := range []struct {
		name  string
		cache string // written over the cache before listing; "" keeps it
	}{
		{"as recorded", ""},
		{"damaged", "{not json"},
		{"stale: wrong names", `{"/org/freedesktop/secrets/collection/login/999999":"ghost"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			k := testKeyring(t, nil)
			k.be = goKeyring{dir: k.dir}
			t.Cleanup(func() { cleanupSecrets(t, k) })
			kept, gone := uniqueName(t, "ic-a"), uniqueName(t, "ic-b")
			for _, n := range []string{kept, gone} {
				if err := k.Set(t.Context(), testEntry(n), "s", false); err != nil {
					t.Fatal(err)
				}
			}
			cached := loadItemCache(k.dir)
			var names []string
			for _, n := range cached {
				names = append(names, n)
			}
			if !slices.Contains(names, kept) || !slices.Contains(names, gone) {
				t.Fatalf("after Set the cache holds %v, want both names", names)
			}
			if tc.cache != "" {
				if err := os.WriteFile(filepath.Join(k.dir, itemCacheName), []byte(tc.cache), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := keyring.Delete(Service, gone); err != nil {
				t.Fatal(err)
			}
			list, err := k.List(t.Context())
			if err != nil || len(list) != 2 || list[0].Missing || !list[1].Missing {
				t.Errorf("List = %+v, %v; want %s present, %s missing", list, err, kept, gone)
			}
			for p, n := range loadItemCache(k.dir) {
				if n == gone || n == "ghost" {
					t.Errorf("cache still maps %s to %s", p, n)
				}
			}
		})
	}
}
