// Command ssfloor asks the session's Secret Service the least that any
// program must ask to tell which of a service's keys are present, and
// nothing else: one SearchItems for the service's items, then the
// Attributes of each item, pipelined on one connection. scripts/bench.sh
// times it beside `anykey list` as the floor under list's time: what the
// bus and the keychain daemon cost before anykey does any work of its own
// (docs/performance.md).
//
//	ssfloor [-service anykey]
//
// It prints the number of items that named a user, so a run that found
// nothing is visible. It reads no secret and never unlocks.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/godbus/dbus/v5"
)

func main() {
	service := flag.String("service", "anykey", "the service attribute to search for")
	flag.Parse()
	conn, err := dbus.SessionBus()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ssfloor:", err)
		os.Exit(1)
	}
	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var unlocked, locked []dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.SearchItems", 0,
		map[string]string{"service": *service}).Store(&unlocked, &locked); err != nil {
		fmt.Fprintln(os.Stderr, "ssfloor: SearchItems:", err)
		os.Exit(1)
	}
	items := append(unlocked, locked...)
	calls := make([]*dbus.Call, len(items))
	for i, p := range items {
		calls[i] = conn.Object("org.freedesktop.secrets", p).Go("org.freedesktop.DBus.Properties.Get", 0, nil,
			"org.freedesktop.Secret.Item", "Attributes")
	}
	named := 0
	for _, c := range calls {
		<-c.Done
		var v dbus.Variant
		if c.Store(&v) != nil {
			continue
		}
		if attrs, ok := v.Value().(map[string]string); ok && attrs["username"] != "" {
			named++
		}
	}
	fmt.Println(named)
}
