package keystore

import (
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/godbus/dbus/v5"
)

// TestGreetKeepsGnomeKeyringAlive: 3,600 short-lived clients, eight at a
// time, each greeting the Secret Service as platformGreet does and then
// opening a session as go-keyring's Set does, leave a real gnome-keyring
// alive. Without the greeting the same storm killed it in 12 of 30
// sessions of 1,200 clients (scripts/gnome-keyring-trap.sh): this test
// catches a lost greeting about four times in five.
func TestGreetKeepsGnomeKeyringAlive(t *testing.T) {
	b := desktoptest.StartPrivateBus(t, "gnome-keyring-daemon")
	t.Parallel()
	// The private bus starts nothing on demand: the name goes only when
	// the daemon dies.
	daemon := b.Start("test", "gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	b.WaitOwner(ssName)

	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 450 {
				if err := greetThenOpen(t, b.Addr); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	time.Sleep(500 * time.Millisecond) // an abort comes within milliseconds
	if !b.HasOwner(ssName) {
		t.Fatalf("gnome-keyring-daemon (pid %d) died under greeted clients: nobody owns %s", daemon.Process.Pid, ssName)
	}
	if len(errs) > 0 {
		t.Errorf("%d clients failed, the first: %v", len(errs), errs[0])
	}
}

// greetThenOpen is one client: connect, greet, OpenSession("plain") as
// go-keyring's Set begins, hang up.
func greetThenOpen(t *testing.T, addr string) error {
	conn, err := dbus.Connect(addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := greet(t.Context(), conn); err != nil {
		return err
	}
	var out dbus.Variant
	var session dbus.ObjectPath
	return conn.Object(ssName, ssPath).CallWithContext(t.Context(), ssService+".OpenSession", 0,
		"plain", dbus.MakeVariant("")).Store(&out, &session)
}
