package keystore

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/godbus/dbus/v5"
)

// platformProvider names the owner of org.freedesktop.secrets on the
// session bus by its process name: the bus tells the owner's PID
// (org.freedesktop.DBus.GetConnectionUnixProcessID), /proc/PID/comm its
// name. A provider in another PID namespace (a sandbox) is unknown.
func platformProvider(ctx context.Context) (Provider, error) {
	conn, err := sessionBus()
	if err != nil {
		return Provider{}, err
	}
	return providerOn(ctx, conn)
}

// providerOn is platformProvider on conn's bus.
func providerOn(ctx context.Context, conn *dbus.Conn) (Provider, error) {
	comm, err := ownerComm(ctx, conn)
	if err != nil {
		return Provider{}, err
	}
	return providerFromComm(comm), nil
}

// ownerComm is the process name of the owner of org.freedesktop.secrets.
func ownerComm(ctx context.Context, conn *dbus.Conn) (string, error) {
	var pid uint32
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetConnectionUnixProcessID", 0, ssName).Store(&pid); err != nil {
		return "", err
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(comm)), nil
}

// providerFromComm maps a process name (/proc/PID/comm, at most 15 bytes)
// to a Provider.
func providerFromComm(comm string) Provider {
	switch {
	case comm == "":
		return Provider{}
	case strings.HasPrefix(comm, "gnome-keyring"): // "gnome-keyring-d"
		return Provider{Name: ProviderGNOMEKeyring}
	case strings.HasPrefix(strings.ToLower(comm), "keepassxc"):
		return Provider{Name: ProviderKeePassXC, KeepsDeleted: true}
	case strings.HasPrefix(comm, "kwalletd"), comm == "ksecretd": // KDE 5/6; Plasma 6.3's ksecretd
		return Provider{Name: ProviderKWallet}
	}
	return Provider{Name: comm}
}

// searchesLocked reports whether the provider answers a search of a locked
// collection with the items that match, without prompting: gnome-keyring
// (by the attributes' hashes when it loaded the keyring locked) and
// KWallet (its items' attributes live outside the encrypted wallet).
// KeePassXC does not (see secretStates).
func (p Provider) searchesLocked() bool {
	return p.Name == ProviderGNOMEKeyring || p.Name == ProviderKWallet
}
