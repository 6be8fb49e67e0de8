package keystore

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/busdial"
	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/godbus/dbus/v5"
)

const (
	envOwnerRole = "KEYSTORE_TEST_OWNER_ROLE" // "owner" or "keychain"
	envOwnerBus  = "KEYSTORE_TEST_OWNER_BUS"
)

// TestSSOwnerChangeHelper is a process of TestSSOwnerChange. As "owner" it
// owns org.freedesktop.secrets on the bus it is given and prints "ready".
// As "keychain" it is a long-running anykey (the tray): for each line
// "check" on stdin it asks the keychain's connection (sessionBus) and
// prints "ok", or "foreign " and the error, or "err " and the error.
func TestSSOwnerChangeHelper(t *testing.T) {
	bus := os.Getenv(envOwnerBus)
	switch os.Getenv(envOwnerRole) {
	case "owner":
		conn, err := dbus.Connect(bus)
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		if r, err := conn.RequestName(ssName, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
			fmt.Println("error requesting the name:", r, err)
			os.Exit(1)
		}
		fmt.Println("ready")
		select {}
	case "keychain":
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			_, err := sessionBus()
			switch {
			case err == nil:
				fmt.Println("ok")
			case busdial.IsForeign(err):
				fmt.Println("foreign", err)
			default:
				fmt.Println("err", err)
			}
		}
		os.Exit(0)
	default:
		t.Skip("helper process of TestSSOwnerChange")
	}
}

// ownBusAnyone starts dbus-daemon as this user on a socket any user may
// connect to, with a policy letting anyone in and own any name (a bus the
// user opened up: the one way another user reaches the user's bus), and
// returns its address.
func ownBusAnyone(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		if desktoptest.InCI() {
			t.Fatal("dbus-daemon is not installed: scripts/install-test-deps.sh installs it")
		}
		t.Skip("no dbus-daemon")
	}
	dir, err := os.MkdirTemp("", "anykey-ownerbus-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	cfg := filepath.Join(dir, "bus.conf")
	conf := `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=` + filepath.Join(dir, "bus") + `</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+cfg, "--nofork", "--print-address=1")
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon did not start: %v", err)
	}
	return strings.TrimSpace(line)
}

// The owner of org.freedesktop.secrets is asked again for every keychain
// call, not once per connection: a long-running anykey (the tray) that
// found the user's own Secret Service at start must not go on sending to
// the name once another user's program owns it (the user's provider
// ended, and the bus lets another user in).
func TestSSOwnerChange(t *testing.T) {
	desktoptest.RequireOtherUser(t)
	bus := ownBusAnyone(t)

	// The user's own Secret Service: this process owns the name.
	mine, err := dbus.Connect(bus)
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	if r, err := mine.RequestName(ssName, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("RequestName: %v %v", r, err)
	}

	kc := exec.Command(os.Args[0], "-test.run=^TestSSOwnerChangeHelper$", "-test.count=1")
	kc.Env = append(os.Environ(), envOwnerRole+"=keychain", "DBUS_SESSION_BUS_ADDRESS="+bus)
	in, _ := kc.StdinPipe()
	outPipe, _ := kc.StdoutPipe()
	kc.Stderr = os.Stderr
	if err := kc.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); kc.Process.Kill(); kc.Wait() })
	lines := bufio.NewScanner(outPipe)
	check := func() string {
		t.Helper()
		io.WriteString(in, "check\n")
		got := make(chan string, 1)
		go func() {
			if lines.Scan() {
				got <- lines.Text()
			} else {
				got <- "(no answer)"
			}
		}()
		select {
		case l := <-got:
			return l
		case <-time.After(30 * time.Second):
			t.Fatal("the keychain process did not answer")
		}
		return ""
	}
	if got := check(); got != "ok" {
		t.Fatalf("with the user's own Secret Service: %q, want ok", got)
	}

	// The user's provider ends; another user's program takes the name.
	if r, err := mine.ReleaseName(ssName); err != nil || r != dbus.ReleaseNameReplyReleased {
		t.Fatalf("ReleaseName: %v %v", r, err)
	}
	other := desktoptest.AsOtherUser(t, "^TestSSOwnerChangeHelper$", envOwnerRole+"=owner", envOwnerBus+"="+bus)
	otherOut, _ := other.StdoutPipe()
	other.Stderr = os.Stderr
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Process.Kill(); other.Wait() })
	if l, err := bufio.NewReader(otherOut).ReadString('\n'); err != nil || strings.TrimSpace(l) != "ready" {
		t.Fatalf("the other user's owner: %q %v", l, err)
	}
	const want = "the Secret Service (org.freedesktop.secrets) is run by user nobody (65534), not by you"
	if got := check(); !strings.HasPrefix(got, "foreign ") || !strings.Contains(got, want) {
		t.Errorf("after another user took the name: %q, want %q", got, want)
	}
}
