package keystore

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

func TestBusSocket(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ addr, want string }{
		{"unix:path=/run/user/1000/bus", "/run/user/1000/bus"},
		{"unix:path=/tmp/a%20b,guid=0123", "/tmp/a b"},
		{"unix:guid=0123,abstract=/tmp/dbus-XYZ", "@/tmp/dbus-XYZ"},
		{"tcp:host=127.0.0.1,port=1;unix:path=/second", "/second"},
		{"", ""},
		{"tcp:host=127.0.0.1,port=1", ""},
		{"unix:tmpdir=/tmp", ""}, // a listen-only form
		{"unix:path=%zz", ""},
		{"unix:path=", ""},
		{"unix:path=/x%2", ""},
	} {
		got, err := busSocket(tc.addr)
		if got != tc.want || (tc.want == "") != errors.Is(err, errRawBus) {
			t.Errorf("busSocket(%q) = %q, %v; want %q", tc.addr, got, err, tc.want)
		}
	}
}

// fakeBus serves one connection: it answers AUTH with authReply, then
// hands every call it reads to answer, which returns the raw messages to
// send back.
func fakeBus(t *testing.T, authReply string, answer func(call *busMessage, member string) [][]byte) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "bus")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "\x00AUTH EXTERNAL ") {
			return
		}
		io.WriteString(c, authReply)
		if line, err := r.ReadString('\n'); err != nil || line != "BEGIN\r\n" {
			return
		}
		for {
			hdr, err := r.Peek(16)
			if err != nil {
				return
			}
			n, err := messageLen(hdr)
			if err != nil {
				return
			}
			buf := make([]byte, n)
			if _, err := io.ReadFull(r, buf); err != nil {
				return
			}
			// The decoder is for replies, but a call is the same format;
			// the member is read back with godbus to check the encoder.
			m, err := decodeMessage(buf)
			gm, gerr := dbus.DecodeMessage(strings.NewReader(string(buf)))
			if err != nil || gerr != nil {
				t.Errorf("fake bus cannot read a call: %v, %v", err, gerr)
				return
			}
			member, _ := gm.Headers[dbus.FieldMember].Value().(string)
			for _, out := range answer(m, member) {
				if _, err := c.Write(out); err != nil {
					return
				}
			}
		}
	}()
	return "unix:path=" + sock
}

func signal(t testing.TB, serial uint32) []byte {
	return godbusMessage(t, binary.LittleEndian, dbus.TypeSignal, serial, map[dbus.HeaderField]dbus.Variant{
		dbus.FieldPath:      dbus.MakeVariant(dbus.ObjectPath("/org/freedesktop/DBus")),
		dbus.FieldInterface: dbus.MakeVariant("org.freedesktop.DBus"),
		dbus.FieldMember:    dbus.MakeVariant("NameAcquired")}, ":1.9")
}

// TestRawBusFake runs the client against a scripted bus: signals and
// stray replies are skipped, replies are matched by serial whatever their
// order, ERROR messages become per-call errors, and anything the client
// does not understand is errRawBus (so the caller falls back to godbus).
func TestRawBusFake(t *testing.T) {
	t.Parallel()
	item := func(n string) dbus.ObjectPath {
		return dbus.ObjectPath("/org/freedesktop/secrets/collection/login/" + n)
	}
	// A bus that answers Hello, then SearchItems, then Attributes reads in
	// reverse order with a signal and a stray reply in between; item 3
	// answers an error.
	var pending []*busMessage
	good := func(m *busMessage, member string) [][]byte {
		switch member {
		case "Hello":
			return [][]byte{godbusMessage(t, binary.LittleEndian, dbus.TypeMethodReply, 1, replyTo(m.serial), ":1.9"), signal(t, 2)}
		case "SearchItems":
			return [][]byte{godbusMessage(t, binary.LittleEndian, dbus.TypeMethodReply, 3, replyTo(m.serial),
				[]dbus.ObjectPath{item("1"), item("2")}, []dbus.ObjectPath{item("3")})}
		}
		pending = append(pending, m)
		if len(pending) < 3 {
			return nil
		}
		out := [][]byte{godbusMessage(t, binary.LittleEndian, dbus.TypeMethodReply, 4, replyTo(999), "stray")}
		for i := len(pending) - 1; i >= 0; i-- {
			s := pending[i].serial
			if i == 2 {
				out = append(out, godbusMessage(t, binary.BigEndian, dbus.TypeError, 10+s, map[dbus.HeaderField]dbus.Variant{
					dbus.FieldReplySerial: dbus.MakeVariant(s),
					dbus.FieldErrorName:   dbus.MakeVariant("org.freedesktop.Secret.Error.IsLocked")}, "locked"))
				continue
			}
			user := map[uint32]string{0: "alpha", 1: "beta"}[uint32(i)]
			out = append(out, godbusMessage(t, binary.LittleEndian, dbus.TypeMethodReply, 10+s, replyTo(s),
				dbus.MakeVariant(map[string]string{"service": Service, "username": user})))
		}
		pending = nil
		return out
	}
	ctx := t.Context()
	bus, err := dialRawBus(ctx, fakeBus(t, "OK 0123456789abcdef\r\n", good))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	s := rawSecrets{bus}
	res, err := s.search(ctx, [][]string{{"service", Service}})
	if err != nil || len(res) != 1 || len(res[0]) != 3 {
		t.Fatalf("search = %v, %v", res, err)
	}
	attrs, errs, err := s.attributes(ctx, res[0])
	if err != nil {
		t.Fatal(err)
	}
	if attrs[0]["username"] != "alpha" || attrs[1]["username"] != "beta" || errs[0] != nil || errs[1] != nil {
		t.Errorf("attributes = %v, %v", attrs, errs)
	}
	var be *busError
	if !errors.As(errs[2], &be) || be.name != "org.freedesktop.Secret.Error.IsLocked" || be.text != "locked" {
		t.Errorf("locked item: %v", errs[2])
	}

	for _, tc := range []struct {
		name   string
		auth   string
		answer func(*busMessage, string) [][]byte
	}{
		{"auth rejected", "REJECTED EXTERNAL\r\n", nil},
		{"Hello refused", "OK 0\r\n", func(m *busMessage, _ string) [][]byte {
			return [][]byte{godbusMessage(t, binary.LittleEndian, dbus.TypeError, 1, map[dbus.HeaderField]dbus.Variant{
				dbus.FieldReplySerial: dbus.MakeVariant(m.serial),
				dbus.FieldErrorName:   dbus.MakeVariant("org.freedesktop.DBus.Error.AccessDenied")}, "no")}
		}},
		{"reply of the wrong type", "OK 0\r\n", func(m *busMessage, member string) [][]byte {
			if member == "Hello" {
				return nil // buses need not answer before the next call
			}
			return [][]byte{godbusMessage(t, binary.LittleEndian, dbus.TypeMethodReply, 1, replyTo(m.serial), "not paths")}
		}},
		{"garbage", "OK 0\r\n", func(*busMessage, string) [][]byte {
			return [][]byte{[]byte("x\x02\x00\x01garbage garbage garbage")}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			bus, err := dialRawBus(ctx, fakeBus(t, tc.auth, tc.answer))
			if err == nil {
				defer bus.Close()
				_, err = rawSecrets{bus}.search(ctx, [][]string{{"service", Service}})
			}
			if !errors.Is(err, errRawBus) {
				t.Errorf("err = %v, want errRawBus", err)
			}
		})
	}
}

// storeNames saves n secrets with go-keyring (as anykey does) and removes
// them at the end.
func storeNames(t *testing.T, base string, n int) []string {
	t.Helper()
	var names []string
	for i := range n {
		name := uniqueName(t, base+string(rune('a'+i)))
		if err := keyring.Set(Service, name, "s"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { keyring.Delete(Service, name) })
		names = append(names, name)
	}
	return names
}

// only keeps the names asked about: other tests (and other test
// processes) use the same keyring at the same time.
func only(found map[string]bool, names []string) map[string]bool {
	out := map[string]bool{}
	for _, n := range names {
		if found[n] {
			out[n] = true
		}
	}
	return out
}

// TestRawClientSecretService: against the real gnome-keyring, the raw
// client finds exactly the names go-keyring stored, with and without the
// path cache, agrees with godbus, and sees an item deleted behind
// anykey's back (secret-tool clear) as gone: the Missing case.
func TestRawClientSecretService(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	if _, err := exec.LookPath("secret-tool"); err != nil {
		if desktoptest.InCI() {
			t.Fatal("CI is set but secret-tool is missing (apt install libsecret-tools)")
		}
		t.Skip("no secret-tool here")
	}
	t.Parallel()
	names := storeNames(t, "raw", 3)
	dir := t.TempDir() // the path cache; "" below means none
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	check := func(want map[string]bool) {
		t.Helper()
		for _, d := range []string{"", dir, dir} { // no cache, cold cache, warm cache
			bus, err := dialRawBus(t.Context(), desktopBus(t))
			if err != nil {
				t.Fatal(err)
			}
			got, err := present(t.Context(), rawSecrets{bus}, d, Service, names)
			bus.Close()
			if err != nil || !maps.Equal(only(got, names), want) {
				t.Errorf("raw client (cache dir %q) = %v, %v; want %v", d, only(got, names), err, want)
			}
		}
		viaGodbus, err := present(t.Context(), godbusSecrets{conn}, "", Service, names)
		if err != nil || !maps.Equal(only(viaGodbus, names), want) {
			t.Errorf("godbus = %v, %v; want %v", only(viaGodbus, names), err, want)
		}
	}
	check(map[string]bool{names[0]: true, names[1]: true, names[2]: true})
	if out, err := exec.Command("secret-tool", "clear", "service", Service, "username", names[1]).CombinedOutput(); err != nil {
		t.Fatalf("secret-tool clear: %v: %s", err, out)
	}
	check(map[string]bool{names[0]: true, names[2]: true})
}

// TestRawClientFallback: when the raw client cannot use the bus (an
// address it does not handle, auth refused, an answer it does not
// understand), presence is asked over godbus and still exact.
func TestRawClientFallback(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	names := storeNames(t, "fb", 2)
	keyring.Delete(Service, names[1])
	want := map[string]bool{names[0]: true}
	for _, tc := range []struct{ name, addr string }{
		{"tcp address", "tcp:host=127.0.0.1,port=9"},
		{"dead socket", "unix:path=" + filepath.Join(t.TempDir(), "none")},
		{"auth rejected", fakeBus(t, "REJECTED EXTERNAL\r\n", nil)},
		{"garbage reply", fakeBus(t, "OK 0\r\n", func(*busMessage, string) [][]byte { return [][]byte{[]byte("garbage garbage garbage!")} })},
	} {
		got, err := presentVia(t.Context(), tc.addr, "", Service, names)
		if err != nil || !maps.Equal(only(got, names), want) {
			t.Errorf("%s: present = %v, %v; want %v", tc.name, only(got, names), err, want)
		}
	}
}

// desktopBus is the session's bus address, which the raw client must
// handle (the desktop session uses unix:path=).
func desktopBus(t *testing.T) string {
	t.Helper()
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if _, err := busSocket(addr); err != nil {
		t.Fatalf("the session bus %q is not one the raw client handles: %v", addr, err)
	}
	return addr
}
