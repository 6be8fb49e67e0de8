package tray

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/godbus/dbus/v5"
)

// TestBeeepMakesTextSafe sends a notification holding server text through
// the real notification daemon's bus and reads what the daemon was given:
// no control or bidi characters in the title, body markup escaped.
func TestBeeepMakesTextSafe(t *testing.T) {
	desktoptest.Require(t, desktoptest.SessionBus, desktoptest.Notifications)
	notes := desktoptest.WatchNotifications(t)
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	title := "Pairing \u202e\"evil\"\x1b[31m failed"
	body := `anytype said: <b>re-pair</b> at <a href="https://evil.example">here</a> & <img src="x"> ` + "\u2066x\u2069"
	if err := NewBeeep("anykey", nil).Notify(title, body); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n, err := notes.NextFrom(ctx, conn.Names()[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(n.Summary, "\u202e\x1b") {
		t.Errorf("summary %q keeps a control or bidi character", n.Summary)
	}
	if strings.ContainsAny(n.Body, "<>\u2066\u2069") || !strings.Contains(n.Body, "&lt;b&gt;re-pair&lt;/b&gt;") || !strings.Contains(n.Body, "&amp;") {
		t.Errorf("body %q is not escaped", n.Body)
	}
}

const envNotifyHelper = "ANYKEY_TEST_NOTIFY_HELPER"

// TestNotifyRefusedBusHelper sends one notification in a process of its
// own (godbus's shared connection is per process) and prints the error.
func TestNotifyRefusedBusHelper(t *testing.T) {
	if os.Getenv(envNotifyHelper) == "" {
		t.Skip("helper process of TestNotifyRefusedBus")
	}
	fmt.Printf("result: %v\n", NewBeeep("anykey", nil).Notify("Key saved", "a body"))
}

// A notification is not sent to a session bus anykey refuses: beeep would
// dial godbus's shared connection itself, and then fall back to
// notify-send on the same address. Shown with a bus over TCP (refused
// before dialing): neither connects, neither notify-send nor godbus.
func TestNotifyRefusedBus(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var accepted atomic.Int64
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	bin := t.TempDir()
	mark := filepath.Join(bin, "ran")
	for _, tool := range []string{"notify-send", "kdialog"} {
		os.WriteFile(filepath.Join(bin, tool), []byte("#!/bin/sh\necho "+tool+" >>"+mark+"\n"), 0o755)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNotifyRefusedBusHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), envNotifyHelper+"=1", "PATH="+bin+":/usr/bin:/bin",
		fmt.Sprintf("DBUS_SESSION_BUS_ADDRESS=tcp:host=127.0.0.1,port=%d", l.Addr().(*net.TCPAddr).Port))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "result: showing notification: the D-Bus session bus address") ||
		!strings.Contains(string(out), "is not a Unix socket") {
		t.Errorf("Notify on a tcp: bus: %s", out)
	}
	if n := accepted.Load(); n != 0 {
		t.Errorf("the bus saw %d connections, want none", n)
	}
	if ran, err := os.ReadFile(mark); err == nil {
		t.Errorf("fallbacks ran: %s", ran)
	}
}
