package doctor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/anykey-app/anykey/internal/busdial"
	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/anykey-app/anykey/keystore"
	"github.com/godbus/dbus/v5"
)

// Bus names and paths of the freedesktop pieces anykey uses.
const (
	nameSecrets  = "org.freedesktop.secrets"
	nameNotify   = "org.freedesktop.Notifications"
	nameWatcher  = "org.kde.StatusNotifierWatcher"
	pathSecrets  = dbus.ObjectPath("/org/freedesktop/secrets")
	pathLogin    = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
	pathWatcher  = dbus.ObjectPath("/StatusNotifierWatcher")
	pathNotify   = dbus.ObjectPath("/org/freedesktop/Notifications")
	ifaceService = "org.freedesktop.Secret.Service"
	ifaceColl    = "org.freedesktop.Secret.Collection"
)

// checkDesktop checks, on one private connection to the session bus: the
// bus, the Secret Service, the notification daemon and the tray host; then
// the dialog and clipboard tools, which need no bus.
func checkDesktop(ctx context.Context, o Options) []Finding {
	bus, conn := checkBus(ctx)
	var out []Finding
	out = append(out, bus)
	if conn == nil {
		why, fix := "cannot be asked: no session bus", "fix the session bus first"
		out = append(out,
			Finding{Piece: PieceSecretService, Title: "Secret Service", Status: Missing, Found: why, Fix: fix},
			Finding{Piece: PieceNotifications, Title: "Notifications", Status: Warning, Found: why, Fix: fix},
			Finding{Piece: PieceTray, Title: "Tray", Status: Warning, Found: why, Fix: fix})
	} else {
		defer conn.Close()
		b := busProbe{conn: conn}
		// Side by side on the one connection (godbus serialises writes and
		// routes replies by serial), so a slow piece costs its own
		// deadlines, not the sum of everyone's; the order stays fixed.
		out = append(out, parallel(
			func() Finding { return b.secretService(ctx) },
			func() Finding { return b.notifications(ctx) },
			func() Finding { return b.tray(ctx, o.Getenv) },
		)...)
	}
	return append(out, parallel(
		func() Finding { return checkDialogs(o.Getenv) },
		func() Finding { return checkClipboard(ctx, o) },
	)...)
}

// parallel runs the checks side by side and returns their findings in
// the checks' order.
func parallel(checks ...func() Finding) []Finding {
	out := make([]Finding, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() { defer wg.Done(); out[i] = c() }()
	}
	wg.Wait()
	return out
}

// checkBus connects to the session bus the environment names, never
// starting one, with busdial's handshake deadline.
func checkBus(ctx context.Context) (Finding, *dbus.Conn) {
	f := Finding{Piece: PieceSessionBus, Title: "Session bus", Facts: map[string]string{}}
	addr := busdial.Address()
	if addr == "" {
		f.Status = Missing
		f.Found = "none: " + busdial.ErrNoAddress.Error()
		f.Fix = "run anykey inside your desktop session (over ssh: export DBUS_SESSION_BUS_ADDRESS from it)"
		return f, nil
	}
	f.Facts["address"] = addr
	conn, err := busdial.Connect(ctx, addr)
	switch {
	case busdial.IsForeign(err):
		// Not "gone": it is there, and it is someone else's.
		f.Status = Missing
		f.Found = textsafe.Terminal(err.Error()) + "; nothing was sent to it, and anykey will not use it"
		f.Fix = fmt.Sprintf("DBUS_SESSION_BUS_ADDRESS may be left from a session that has ended (a tmux or screen shell outlives it): run anykey from a terminal of your current desktop session, or unset it to use /run/user/%d/bus", os.Getuid())
		return f, nil
	case busdial.IsTransport(err):
		f.Status = Missing
		f.Found = textsafe.Terminal(err.Error()) + "; anykey will not use it"
		f.Fix = fmt.Sprintf("set DBUS_SESSION_BUS_ADDRESS to the unix:path=… address of your session bus, or unset it to use /run/user/%d/bus", os.Getuid())
		return f, nil
	case err != nil:
		f.Status = Missing
		f.Found = textsafe.Terminal(err.Error())
		f.Fix = "DBUS_SESSION_BUS_ADDRESS names a bus that is gone: log in again, or unset it inside your desktop session"
		if !busdial.IsSilent(err) && ctx.Err() == nil {
			f.Found = fmt.Sprintf("%s does not answer: %s", textsafe.Terminal(addr), textsafe.Terminal(err.Error()))
		}
		return f, nil
	}
	b := busProbe{conn: conn}
	who := "a bus daemon"
	if pid, comm, ok := b.owner(ctx, "org.freedesktop.DBus"); ok {
		who = fmt.Sprintf("%s (pid %d)", program(pid, comm), pid)
		f.Facts["pid"], f.Facts["process"] = fmt.Sprint(pid), comm
	}
	f.Status = OK
	f.Found = who + " at " + textsafe.Terminal(addr)
	return f, conn
}

// busProbe asks the bus and its services, each call with a deadline.
type busProbe struct{ conn *dbus.Conn }

func (b busProbe) call(ctx context.Context, dest string, path dbus.ObjectPath, method string, args ...any) *dbus.Call {
	cctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	return b.conn.Object(dest, path).CallWithContext(cctx, method, 0, args...)
}

func (b busProbe) property(ctx context.Context, dest string, path dbus.ObjectPath, iface, prop string) (dbus.Variant, error) {
	var v dbus.Variant
	err := b.call(ctx, dest, path, "org.freedesktop.DBus.Properties.Get", iface, prop).Store(&v)
	return v, err
}

// owner returns the PID and process name of name's owner. A process in
// another PID namespace has no /proc entry here: its name is "".
func (b busProbe) owner(ctx context.Context, name string) (uint32, string, bool) {
	var pid uint32
	if err := b.call(ctx, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.GetConnectionUnixProcessID", name).Store(&pid); err != nil {
		return 0, "", false
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return pid, "pid " + fmt.Sprint(pid), true
	}
	return pid, strings.TrimSpace(string(comm)), true
}

// program is the name a process was started as (argv[0]'s base name),
// which comm cuts to 15 bytes; comm when the command line cannot be read.
func program(pid uint32, comm string) string {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	argv0, _, _ := strings.Cut(string(cmdline), "\x00")
	if err != nil || argv0 == "" {
		return comm
	}
	return textsafe.Terminal(filepath.Base(argv0))
}

// present reports whether name has an owner, and whether the bus would
// start one on first use (activatable).
func (b busProbe) present(ctx context.Context, name string) (owned, activatable bool) {
	b.call(ctx, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", name).Store(&owned)
	if owned {
		return true, false
	}
	var names []string
	b.call(ctx, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.ListActivatableNames").Store(&names)
	return false, slices.Contains(names, name)
}

// secretService names the provider and says which collection go-keyring
// saves to (login, else the default alias) and whether it is locked. It
// reads properties only: nothing is unlocked, no prompt is shown.
func (b busProbe) secretService(ctx context.Context) Finding {
	f := Finding{Piece: PieceSecretService, Title: "Secret Service", Facts: map[string]string{}}
	owned, activatable := b.present(ctx, nameSecrets)
	switch {
	case activatable:
		f.Status = OK
		f.Found = "not running; the session bus starts it on first use"
		return f
	case !owned:
		f.Status = Missing
		f.Found = "no Secret Service on the session bus: there is nowhere to keep a key"
		f.Fix = "start your desktop's keyring (gnome-keyring-daemon, KWallet), or KeePassXC with its Secret Service integration on"
		return f
	}
	// Nothing is asked of another user's Secret Service: anykey would not
	// use it, and it would be named as if it were the user's keyring.
	cctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	err := keystore.CheckSecretServiceOwner(cctx, b.conn)
	cancel()
	if busdial.IsForeign(err) {
		f.Status = Missing
		f.Found = textsafe.Terminal(err.Error()) + "; nothing was asked of it, and anykey will not use it"
		f.Fix = "stop that program of another user, then start your own keyring (gnome-keyring, KeePassXC or KWallet)"
		return f
	}
	provider := "an unknown provider"
	if pid, comm, ok := b.owner(ctx, nameSecrets); ok {
		f.Facts["pid"], f.Facts["process"] = fmt.Sprint(pid), comm
		if p := keystore.ProviderOfProcess(comm); p.Name != "" {
			provider = p.Name
		}
	}
	f.Facts["provider"] = provider
	path := pathLogin
	name := "login"
	if _, err := b.property(ctx, nameSecrets, pathLogin, ifaceColl, "Locked"); err != nil {
		var alias dbus.ObjectPath
		if err := b.call(ctx, nameSecrets, pathSecrets, ifaceService+".ReadAlias", "default").Store(&alias); err != nil {
			f.Status = Missing
			f.Found = provider + " does not answer: " + textsafe.Terminal(err.Error())
			f.Fix = "restart " + provider
			return f
		}
		if alias == "/" || alias == "" {
			f.Status = Missing
			f.Found = provider + " has no default collection (keyring) to save keys in"
			f.Fix = unlockWhere(provider, "create a keyring and make it the default")
			if provider == keystore.ProviderKWallet {
				f.Fix = "create a wallet in KWallet (System Settings → KDE Wallet, or KWallet Manager: File → New Wallet)"
			}
			return f
		}
		path, name = alias, string(alias[strings.LastIndex(string(alias), "/")+1:])
	}
	f.Facts["collection"] = string(path)
	v, err := b.property(ctx, nameSecrets, path, ifaceColl, "Locked")
	if err != nil {
		f.Status = Missing
		f.Found = fmt.Sprintf("%s: collection %s does not answer: %s", provider, name, textsafe.Terminal(err.Error()))
		f.Fix = "restart " + provider
		return f
	}
	// KWallet's collection says locked after a login though its wallet is
	// open and reads without a prompt: its own isOpen tells (never prompts).
	if locked, _ := v.Value().(bool); locked && !b.openDespiteLocked(ctx, path) {
		f.Facts["locked"] = "true"
		f.Status = Warning
		f.Found = fmt.Sprintf("%s; collection %q (the default) is locked", provider, name)
		f.Fix = unlockWhere(provider, "unlock it") + "; anykey also asks to unlock it when it needs a key"
		return f
	}
	f.Facts["locked"] = "false"
	f.Status = OK
	f.Found = fmt.Sprintf("%s; collection %q (the default), unlocked", provider, name)
	return f
}

// openDespiteLocked is [keystore.OpenDespiteLocked] under a probe's
// deadline: it asks the owner's process name and then kwalletd, and a
// kwalletd that does not answer must not hold the report (it then counts
// as locked).
func (b busProbe) openDespiteLocked(ctx context.Context, coll dbus.ObjectPath) bool {
	cctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	return keystore.OpenDespiteLocked(cctx, b.conn, coll)
}

// unlockWhere says where a person does what to their keychain.
func unlockWhere(provider, what string) string {
	switch provider {
	case keystore.ProviderGNOMEKeyring:
		return what + " in Passwords and Keys (seahorse)"
	case keystore.ProviderKeePassXC:
		return what + " in KeePassXC (open the database that Secret Service integration exposes)"
	case keystore.ProviderKWallet:
		return what + " in KDE Wallet Manager"
	}
	return what + " in " + provider
}

// notifications names the notification daemon (GetServerInformation).
func (b busProbe) notifications(ctx context.Context) Finding {
	f := Finding{Piece: PieceNotifications, Title: "Notifications", Facts: map[string]string{}}
	owned, activatable := b.present(ctx, nameNotify)
	if !owned && !activatable {
		f.Status = Warning
		f.Found = "no notification daemon on the session bus"
		f.Fix = "start one (your desktop's own, dunst, mako); until then the tray shows its messages in dialogs"
		return f
	}
	var name, vendor, version, spec string
	if err := b.call(ctx, nameNotify, pathNotify, nameNotify+".GetServerInformation").Store(&name, &vendor, &version, &spec); err != nil {
		f.Status = Warning
		f.Found = "the notification daemon does not answer: " + textsafe.Terminal(err.Error())
		f.Fix = "restart your notification daemon"
		return f
	}
	name, vendor, version = textsafe.Terminal(name), textsafe.Terminal(vendor), textsafe.Terminal(version)
	f.Facts["name"], f.Facts["vendor"], f.Facts["version"], f.Facts["spec_version"] = name, vendor, version, textsafe.Terminal(spec)
	f.Status = OK
	f.Found = strings.TrimSpace(name + " " + version)
	if vendor != "" && !strings.EqualFold(vendor, name) {
		f.Found += " (" + vendor + ")"
	}
	return f
}

// tray finds the StatusNotifierWatcher and whether a host that draws
// items is registered with it.
func (b busProbe) tray(ctx context.Context, getenv func(string) string) Finding {
	f := Finding{Piece: PieceTray, Title: "Tray", Facts: map[string]string{}}
	desktop := getenv("XDG_CURRENT_DESKTOP")
	f.Facts["desktop"] = desktop
	gnome := slices.ContainsFunc(strings.Split(desktop, ":"), func(s string) bool { return strings.EqualFold(s, "GNOME") })
	fix := "use a panel that shows StatusNotifierItems (KDE, Xfce, Cinnamon, waybar, swaybar…); everything the tray does also works from the command line"
	if gnome {
		fix = "install and enable the GNOME Shell extension \"AppIndicator and KStatusNotifierItem Support\" (Debian/Ubuntu: gnome-shell-extension-appindicator), then log in again"
	}
	owned, activatable := b.present(ctx, nameWatcher)
	if !owned && !activatable {
		f.Status = Warning
		f.Found = "no StatusNotifierItem watcher on the session bus: the tray icon would not show"
		f.Fix = fix
		return f
	}
	watcher := "a StatusNotifierWatcher"
	if pid, comm, ok := b.owner(ctx, nameWatcher); ok {
		watcher = program(pid, comm)
		f.Facts["watcher_pid"], f.Facts["watcher"] = fmt.Sprint(pid), watcher
	}
	v, err := b.property(ctx, nameWatcher, pathWatcher, nameWatcher, "IsStatusNotifierHostRegistered")
	if hosted, _ := v.Value().(bool); err != nil || !hosted {
		f.Status = Warning
		f.Found = watcher + " runs, but no host that draws tray icons is registered with it"
		f.Fix = fix
		return f
	}
	f.Status = OK
	f.Found = "StatusNotifierWatcher " + watcher + ", with a host"
	return f
}
