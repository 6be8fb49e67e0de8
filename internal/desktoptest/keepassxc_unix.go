//go:build unix

package desktoptest

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// KeePassXCCollection is the object path of the collection StartKeePassXC
// serves: KeePassXC names it after the database (there is no "login"
// collection; the alias "default" points here).
const KeePassXCCollection = dbus.ObjectPath("/org/freedesktop/secrets/collection/Passwords")

// keepassxcINI turns the Secret Service integration on without the
// confirmation dialogs and notifications a user would normally keep, and
// without autosave: KeePassXC saves on exit (see scripts/desktop-session.sh).
const keepassxcINI = `[General]
ConfigVersion=2
SingleInstance=false
RememberLastDatabases=false
OpenPreviousDatabasesOnStartup=false
AutoSaveAfterEveryChange=false
AutoSaveOnExit=true
UpdateCheckMessageShown=true

[GUI]
ShowTrayIcon=false
CheckForUpdates=false

[Security]
LockDatabaseIdle=false
LockDatabaseScreenLock=false
ClearClipboard=false

[Browser]
Enabled=false

[SSHAgent]
Enabled=false

[FdoSecrets]
Enabled=true
ShowNotification=false
ConfirmAccessItem=false
ConfirmDeleteItem=false
UnlockBeforeSearch=true
`

// StartKeePassXC starts KeePassXC as the bus's Secret Service, serving a
// fresh database "Passwords" (made with keepassxc-cli import) whose root
// group is exposed over the Secret Service, unlocked with password, and
// waits until the collection answers unlocked. It needs a display: KeePassXC
// is a GUI program, and shows its own unlock dialog when a client asks for
// a locked item. Start the bus with tools "keepassxc" and "keepassxc-cli".
func (b *PrivateBus) StartKeePassXC(password string) {
	b.t.Helper()
	dir := filepath.Join(b.Dir, "keepassxc")
	for _, d := range []string{"config", "data", "cache"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			b.t.Fatal(err)
		}
	}
	// The exposed group is stored in the database's custom data, as
	// Database settings > Secret Service Integration does.
	uuid := make([]byte, 16)
	rand.Read(uuid)
	h := fmt.Sprintf("%x", uuid)
	xml := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<KeePassFile><Meta><DatabaseName>Passwords</DatabaseName>
<CustomData><Item><Key>FDO_SECRETS_EXPOSED_GROUP</Key><Value>{%s-%s-%s-%s-%s}</Value></Item></CustomData></Meta>
<Root><Group><UUID>%s</UUID><Name>Passwords</Name></Group></Root></KeePassFile>
`, h[0:8], h[8:12], h[12:16], h[16:20], h[20:32], base64.StdEncoding.EncodeToString(uuid))
	files := map[string]string{"db.xml": xml, "keepassxc.ini": keepassxcINI}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			b.t.Fatal(err)
		}
	}
	env := []string{"XDG_CONFIG_HOME=" + dir + "/config", "XDG_DATA_HOME=" + dir + "/data", "XDG_CACHE_HOME=" + dir + "/cache"}
	db := filepath.Join(dir, "Passwords.kdbx")
	imp := exec.Command("keepassxc-cli", "import", "-q", "-p", "-t", "100", filepath.Join(dir, "db.xml"), db)
	imp.Env = append(os.Environ(), env...)
	imp.Stdin = strings.NewReader(password + "\n" + password + "\n")
	if out, err := imp.CombinedOutput(); err != nil {
		b.t.Fatalf("keepassxc-cli import: %v\n%s", err, out)
	}
	b.startEnv(env, password+"\n", "keepassxc", "--config", filepath.Join(dir, "keepassxc.ini"),
		"--localconfig", filepath.Join(dir, "local.ini"), "--pw-stdin", db)
	b.WaitOwner("org.freedesktop.secrets")
	WaitUntil(b.t, 20*time.Second, "KeePassXC's database to unlock", func() bool {
		return !b.Locked(KeePassXCCollection)
	})
}

// Locked reports whether the collection at path is locked; a collection
// that does not answer counts as locked.
func (b *PrivateBus) Locked(path dbus.ObjectPath) bool {
	v, err := b.Conn.Object("org.freedesktop.secrets", path).GetProperty("org.freedesktop.Secret.Collection.Locked")
	if err != nil {
		return true
	}
	locked, ok := v.Value().(bool)
	return !ok || locked
}

// Lock locks the collection at path, running the prompt a provider may ask
// for (KeePassXC returns one; gnome-keyring locks at once), and waits until
// it reports locked.
func (b *PrivateBus) Lock(path dbus.ObjectPath) {
	b.t.Helper()
	svc := b.Conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{path}).Store(&locked, &prompt); err != nil {
		b.t.Fatalf("locking %s: %v", path, err)
	}
	if prompt != "/" {
		if err := b.Conn.Object("org.freedesktop.secrets", prompt).Call("org.freedesktop.Secret.Prompt.Prompt", 0, "").Err; err != nil {
			b.t.Fatalf("locking %s: prompt: %v", path, err)
		}
	}
	WaitUntil(b.t, 10*time.Second, string(path)+" to lock", func() bool { return b.Locked(path) })
}
