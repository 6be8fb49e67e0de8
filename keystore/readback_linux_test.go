package keystore

import (
	"os"
	"os/exec"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// TestSecretToolReadsBack: a key anykey saved reads back with the desktop's
// own tools (secret-tool lookup, libsecret's password API) on every
// provider. KWallet is in TestKWallet; it is the one that hands the stored
// content type back, and libsecret reads only "text/plain".
func TestSecretToolReadsBack(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tools []string
		start func(*testing.T, *desktoptest.PrivateBus)
	}{
		{"GNOME Keyring", []string{"gnome-keyring-daemon"}, func(t *testing.T, b *desktoptest.PrivateBus) { b.StartKeyring() }},
		{"KeePassXC", []string{"keepassxc", "keepassxc-cli"}, func(t *testing.T, b *desktoptest.PrivateBus) { startKeePassXC(t, b) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := desktoptest.StartPrivateBus(t, append(tc.tools, "secret-tool")...)
			t.Parallel()
			tc.start(t, b)
			dir, name := t.TempDir(), "read back ключ"
			rep := runChild(t, "save", childDir+"="+dir, childReal+"=1", childName+"="+name, "DBUS_SESSION_BUS_ADDRESS="+b.Addr)
			if r := rep["set"]; r.Err != "" {
				t.Fatalf("Set: %+v", r)
			}
			lookup := exec.Command("secret-tool", "lookup", "service", service, "username", name)
			lookup.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+b.Addr)
			if out, err := lookup.CombinedOutput(); err != nil || string(out) != "secret-"+name {
				t.Errorf("secret-tool lookup of the key anykey saved: %q, %v; want the key", out, err)
			}
		})
	}
}
