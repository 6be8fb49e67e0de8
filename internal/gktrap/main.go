// Command gktrap reproduces, without anykey, the gnome-keyring-daemon
// abort seen under the test suite: short-lived Secret Service clients,
// each opening a session and hanging up, make gnome-keyring 42 fail the
// assertion 'client' in gkd_secret_service_get_pkcs11_session and then
// die of a GLib trap in g_variant_new (exit status 133). Reported upstream
// as GNOME/gnome-keyring issues 190, 194, 196 and 199, and Debian bug
// 1147303. scripts/gnome-keyring-trap.sh runs it in fresh desktop
// sessions and counts the deaths (docs/desktop-testing.md §8).
//
//	gktrap [-workers 8] [-conns 150] [-first none|get] [-mode reply|hangup] [-settle none|get]
//
// Each worker opens conns private connections to the session bus, one
// after another; each sends OpenSession("plain") to org.freedesktop.secrets
// and then, by -mode, waits for the reply (as go-keyring does) or hangs up
// at once. -first get makes a Secret Service call (a property read) and
// waits for its reply before OpenSession; -settle get makes one after it,
// before hanging up: the client-side workarounds under test.
package main

import (
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/godbus/dbus/v5"
)

func main() {
	workers := flag.Int("workers", 8, "connections open at once")
	conns := flag.Int("conns", 150, "connections per worker, one after another")
	mode := flag.String("mode", "reply", "reply: wait for OpenSession's reply; hangup: do not")
	settle := flag.String("settle", "none", "none, or get: one more property read, answered, before hanging up")
	first := flag.String("first", "none", "none, or get: a property read, answered, before OpenSession")
	flag.Parse()
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" {
		fmt.Fprintln(os.Stderr, "gktrap: DBUS_SESSION_BUS_ADDRESS is not set")
		os.Exit(2)
	}
	var failed atomic.Int64
	var wg sync.WaitGroup
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range *conns {
				if err := once(addr, *first, *mode, *settle); err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("%d connections, %d failed\n", *workers**conns, failed.Load())
}

// once is one client's life: connect, OpenSession, maybe settle, hang up.
func once(addr, first, mode, settle string) error {
	conn, err := dbus.Connect(addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	if first == "get" {
		if _, err := svc.GetProperty("org.freedesktop.Secret.Service.Collections"); err != nil {
			return err
		}
	}
	call := svc.Go("org.freedesktop.Secret.Service.OpenSession", 0, nil, "plain", dbus.MakeVariant(""))
	if mode == "hangup" {
		return nil
	}
	<-call.Done
	if call.Err != nil {
		return call.Err
	}
	if settle == "get" {
		_, err := svc.GetProperty("org.freedesktop.Secret.Service.Collections")
		return err
	}
	return nil
}
