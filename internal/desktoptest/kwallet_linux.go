package desktoptest

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha512"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"
)

// KWallet names: kwalletd5 (KDE Frameworks 5) serves its own API as
// org.kde.kwalletd5 and the Secret Service as org.freedesktop.secrets; a
// wallet named KWalletName is the collection KWalletCollection, which the
// "default" alias points to (there is no "login" collection).
const (
	KWalletName       = "kdewallet"
	KWalletCollection = dbus.ObjectPath("/org/freedesktop/secrets/collection/kdewallet")
	kwalletdName      = "org.kde.kwalletd5"
	kwalletdPath      = "/modules/kwalletd5"
)

// KWallet is a kwalletd5 serving the Secret Service on a [PrivateBus].
type KWallet struct {
	b        *PrivateBus
	dir      string // XDG_{CONFIG,DATA,CACHE}_HOME of kwalletd5 live here
	password string
	qpa      string // Qt platform of kwalletd5: offscreen, or xcb to show its dialogs
	cmd      *exec.Cmd
}

// kwalletrc: one wallet, never closed behind the test's back, no first-use
// wizard; the Secret Service API on (the default since KF 5.97).
const kwalletrc = `[Wallet]
Enabled=true
First Use=false
Default Wallet=kdewallet
Use One Wallet=true
Close When Idle=false
Close on Screensaver=false
Prompt on Open=false
Leave Open=true
Launch Manager=false

[org.freedesktop.secrets]
apiEnabled=true
`

// KWalletState is how [PrivateBus.StartKWallet] leaves KWallet.
type KWalletState int

const (
	// KWalletNone: no wallet at all, as for a KDE user who never made one:
	// kwalletd5 runs, the Secret Service has no collection, and
	// ReadAlias("default") answers "/".
	KWalletNone KWalletState = iota
	// KWalletLoggedIn: as right after a pam_kwallet5 login: the wallet is
	// open in kwalletd5 (org.kde.KWallet.isOpen answers true), but its
	// collection says Locked=true until some client calls Unlock (which
	// then completes at once, without a dialog).
	KWalletLoggedIn
	// KWalletUnlocked: KWalletLoggedIn, then unlocked as a client would.
	KWalletUnlocked
)

// StartKWallet starts kwalletd5 on the bus with a wallet of password (made
// without any dialog, the way pam_kwallet5 does it: see
// scripts/kwalletd-pam.py for what is handed over), and waits until it is
// in state. kwalletd5 runs on Qt's offscreen platform: a password dialog
// it raises is shown nowhere, so a test must never make it ask (a client's
// Unlock of a closed wallet waits for ever, and every later open with it).
// Start the bus with tool "kwalletd5".
func (b *PrivateBus) StartKWallet(password string, state KWalletState) *KWallet {
	b.t.Helper()
	return b.startKWallet(password, state, "offscreen")
}

// StartKWalletWithDialogs is [PrivateBus.StartKWallet] with kwalletd5 on
// the X11 display of $DISPLAY, so that its password dialog ("KDE Wallet
// Service") shows there and a test can answer it (type the password, or
// Escape). Only for X11: the test must check that it runs there.
func (b *PrivateBus) StartKWalletWithDialogs(password string, state KWalletState) *KWallet {
	b.t.Helper()
	if os.Getenv("DISPLAY") == "" {
		b.t.Fatal("desktoptest: StartKWalletWithDialogs needs an X11 display")
	}
	return b.startKWallet(password, state, "xcb")
}

func (b *PrivateBus) startKWallet(password string, state KWalletState, qpa string) *KWallet {
	b.t.Helper()
	kw := &KWallet{b: b, dir: filepath.Join(b.Dir, "kwallet"), password: password, qpa: qpa}
	for _, d := range []string{"config", "data/kwalletd", "cache", "run"} {
		if err := os.MkdirAll(filepath.Join(kw.dir, d), 0o700); err != nil {
			b.t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(kw.dir, "config", "kwalletrc"), []byte(kwalletrc), 0o600); err != nil {
		b.t.Fatal(err)
	}
	if state == KWalletNone {
		kw.cmd = kw.start(false)
		b.WaitOwner("org.freedesktop.secrets")
		return kw
	}
	// The first start creates the wallet, but the Secret Service builds
	// its collections from the wallet files at start-up and is not told of
	// a wallet made by the PAM open: start again to serve it.
	first := kw.start(true)
	WaitUntil(b.t, 20*time.Second, "kwalletd5 to create the wallet", kw.IsOpen)
	first.Process.Signal(syscall.SIGTERM)
	first.Wait()
	WaitUntil(b.t, 10*time.Second, "kwalletd5 to leave the bus", func() bool { return !b.HasOwner(kwalletdName) })
	kw.cmd = kw.start(true)
	b.WaitOwner("org.freedesktop.secrets")
	WaitUntil(b.t, 20*time.Second, "kwalletd5 to open the wallet", kw.IsOpen)
	WaitUntil(b.t, 10*time.Second, "the wallet's collection", func() bool {
		_, err := b.Conn.Object("org.freedesktop.secrets", KWalletCollection).GetProperty("org.freedesktop.Secret.Collection.Locked")
		return err == nil
	})
	if state == KWalletUnlocked {
		kw.Unlock()
	}
	return kw
}

// start runs kwalletd5; with pam, the pam_kwallet5 way (the password's
// PBKDF2-SHA512 hash on a pipe, an environment socket), which creates the
// wallet if need be and opens it.
func (kw *KWallet) start(pam bool) *exec.Cmd {
	t := kw.b.t
	t.Helper()
	env := []string{"XDG_CONFIG_HOME=" + kw.dir + "/config", "XDG_DATA_HOME=" + kw.dir + "/data",
		"XDG_CACHE_HOME=" + kw.dir + "/cache", "XDG_RUNTIME_DIR=" + kw.dir + "/run", "QT_QPA_PLATFORM=" + kw.qpa}
	if !pam {
		return kw.b.startEnv(env, "", "kwalletd5")
	}
	// The salt file must exist before the first open, or a later password
	// dialog derives another key (kwalletd.cpp, pamOpen).
	saltPath := filepath.Join(kw.dir, "data", "kwalletd", KWalletName+".salt")
	salt, err := os.ReadFile(saltPath)
	if err != nil || len(salt) == 0 {
		salt = make([]byte, 56)
		rand.Read(salt)
		if err := os.WriteFile(saltPath, salt, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	hash, err := pbkdf2.Key(sha512.New, kw.password, salt, 50000, 56)
	if err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	pw.Write(hash)
	pw.Close()
	// kwalletd5 accept()s one connection on this listener and reads
	// NAME=value lines to EOF; a connection queued before the start keeps
	// its data, so nothing here waits on kwalletd5.
	sock := filepath.Join(kw.dir, "run", "kwallet5.socket")
	os.Remove(sock)
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	l.SetUnlinkOnClose(true)
	c, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	c.Close() // no lines: kwalletd5 inherits its environment
	lf, err := l.File()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("kwalletd5", "--pam-login", "3", "4")
	cmd.Env = append(append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+kw.b.Addr, "PAM_KWALLET5_LOGIN=1"), env...)
	cmd.ExtraFiles = []*os.File{pr, lf}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pr.Close()
	lf.Close()
	l.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// IsOpen asks kwalletd5 itself whether the wallet is open
// (org.kde.KWallet.isOpen, which never prompts).
func (kw *KWallet) IsOpen() bool {
	var open bool
	err := kw.b.Conn.Object(kwalletdName, kwalletdPath).Call("org.kde.KWallet.isOpen", 0, KWalletName).Store(&open)
	return err == nil && open
}

// Close closes the wallet, as the user does in KWallet Manager or a
// screen lock may: its collection is then locked, and a client's Unlock
// asks for the password (org.kde.KWallet.close with force: the Secret
// Service's own Lock refuses a collection it thinks locked already).
func (kw *KWallet) Close() {
	t := kw.b.t
	t.Helper()
	var rc int32
	if err := kw.b.Conn.Object(kwalletdName, kwalletdPath).Call("org.kde.KWallet.close", 0, KWalletName, true).Store(&rc); err != nil {
		t.Fatalf("closing the wallet: %v", err)
	}
	WaitUntil(t, 10*time.Second, "the wallet to close", func() bool {
		return !kw.IsOpen() && kw.b.Locked(KWalletCollection)
	})
}

// Relogin does what logging out and in with pam_kwallet5 does: the wallet
// is closed (saved: kwalletd5 syncs its file only 5 s after a change, and
// dies at once on SIGTERM), kwalletd5 stopped and started again the PAM
// way. The wallet is then open, its collection Locked=true.
func (kw *KWallet) Relogin() {
	t := kw.b.t
	t.Helper()
	kw.Close()
	kw.cmd.Process.Signal(syscall.SIGTERM)
	kw.cmd.Wait()
	WaitUntil(t, 10*time.Second, "kwalletd5 to leave the bus", func() bool { return !kw.b.HasOwner(kwalletdName) })
	kw.cmd = kw.start(true)
	kw.b.WaitOwner("org.freedesktop.secrets")
	WaitUntil(t, 20*time.Second, "kwalletd5 to open the wallet", kw.IsOpen)
	WaitUntil(t, 10*time.Second, "the wallet's collection", func() bool {
		_, err := kw.b.Conn.Object("org.freedesktop.secrets", KWalletCollection).GetProperty("org.freedesktop.Secret.Collection.Locked")
		return err == nil
	})
}

// Unlock unlocks the collection of an open wallet over the Secret
// Service (Unlock, then Prompt: it completes at once, the wallet being
// open) and waits until it says unlocked.
func (kw *KWallet) Unlock() {
	t := kw.b.t
	t.Helper()
	svc := kw.b.Conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var unlocked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.Unlock", 0, []dbus.ObjectPath{KWalletCollection}).Store(&unlocked, &prompt); err != nil {
		t.Fatalf("unlocking %s: %v", KWalletCollection, err)
	}
	if prompt != "/" {
		if err := kw.b.Conn.Object("org.freedesktop.secrets", prompt).Call("org.freedesktop.Secret.Prompt.Prompt", 0, "").Err; err != nil {
			t.Fatalf("unlocking %s: prompt: %v", KWalletCollection, err)
		}
	}
	WaitUntil(t, 10*time.Second, "the wallet's collection to unlock", func() bool { return !kw.b.Locked(KWalletCollection) })
}
