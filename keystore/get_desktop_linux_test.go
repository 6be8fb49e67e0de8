package keystore

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// TestRawGetMatchesGoKeyring: against the session's gnome-keyring, the raw
// Get answers itself (no fallback) and returns exactly what go-keyring
// returns, for awkward secrets that Set accepts and a unicode name; for a
// missing item both say not found.
func TestRawGetMatchesGoKeyring(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	addr := desktopBus(t)
	k := testKeyring(t, nil)
	k.be = goKeyring{dir: k.dir}
	t.Cleanup(func() { cleanupSecrets(t, k) })
	for i, tc := range []struct{ name, secret string }{
		{"rawget", `anytype_"double" 'single' \back\slash $HOME;|&<>` + "`x`"},
		{"rawget", " leading and trailing spaces, a\ttab "},
		{"rawget", "ключ 🔑 émoji 名前"},
		{"rawget", strings.Repeat("0123456789abcdef", 256)}, // 4 KiB
		{"ключ 名前 🔑", "anytype_unicode-name"},
	} {
		name := uniqueName(t, tc.name)
		if err := k.Set(t.Context(), testEntry(name), tc.secret, false); err != nil {
			t.Fatal(err)
		}
		raw, err := rawGet(t.Context(), addr, Service, name)
		if err != nil || raw != tc.secret {
			t.Errorf("case %d: rawGet = %q, %v; want %q from the raw path", i, raw, err, tc.secret)
		}
		viaGoKeyring, err := keyring.Get(Service, name)
		if err != nil || viaGoKeyring != raw {
			t.Errorf("case %d: go-keyring = %q, %v; raw Get = %q", i, viaGoKeyring, err, raw)
		}
		if got, err := k.Get(t.Context(), name); err != nil || got != tc.secret {
			t.Errorf("case %d: Keyring.Get = %q, %v", i, got, err)
		}
	}

	missing := uniqueName(t, "rawget-missing")
	if _, err := rawGet(t.Context(), addr, Service, missing); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("rawGet(missing) = %v, want keyring.ErrNotFound", err)
	}
	if _, err := keyring.Get(Service, missing); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("go-keyring Get(missing) = %v, want keyring.ErrNotFound", err)
	}
}

// TestRawGetLockedFallsBack: with the login collection locked, the raw
// Get answers nothing itself, neither the secret nor "not found", and
// leaves the case to go-keyring (which unlocks first). On a private bus
// and keyring, so locking disturbs no other test.
func TestRawGetLockedFallsBack(t *testing.T) {
	b := desktoptest.StartPrivateBus(t, "gnome-keyring-daemon", "secret-tool")
	t.Parallel()
	b.StartKeyring()
	name, secret := "locked ключ", `anytype_"locked"`
	store := exec.Command("secret-tool", "store", "--label=test", "service", Service, "username", name)
	store.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+b.Addr)
	store.Stdin = strings.NewReader(secret)
	if out, err := store.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v: %s", err, out)
	}
	// Unlocked, the raw path answers on this bus (so the declines below
	// are the lock's doing).
	if got, err := rawGet(t.Context(), b.Addr, Service, name); err != nil || got != secret {
		t.Fatalf("rawGet before locking = %q, %v", got, err)
	}
	if _, err := rawGet(t.Context(), b.Addr, Service, "absent"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("rawGet(absent) before locking = %v, want keyring.ErrNotFound", err)
	}

	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err := b.Conn.Object(ssName, ssPath).Call(ssService+".Lock", 0, []dbus.ObjectPath{loginCollection}).Store(&locked, &prompt)
	if err != nil || len(locked) != 1 || prompt != "/" {
		t.Fatalf("Lock = %v, %q, %v", locked, prompt, err)
	}
	for _, n := range []string{name, "absent"} {
		got, err := rawGet(t.Context(), b.Addr, Service, n)
		if !errors.Is(err, errRawGetDeclined) || got != "" {
			t.Errorf("rawGet(%q) when locked = %q, %v; want errRawGetDeclined", n, got, err)
		}
		called := false
		got, err = getVia(t.Context(), b.Addr, Service, n, func() (string, error) { called = true; return "from go-keyring", nil })
		if !called || got != "from go-keyring" || err != nil {
			t.Errorf("getVia(%q) when locked = %q, %v, fallback called %v", n, got, err, called)
		}
	}
}
