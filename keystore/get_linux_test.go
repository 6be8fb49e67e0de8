package keystore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// TestGetCallBytes checks the raw Get's calls byte for byte against
// messages worked out from the spec's "Message Format" rules (offsets in
// the comments count from the start of the message).
func TestGetCallBytes(t *testing.T) {
	t.Parallel()
	header := func(flags, body, serial, fields string) string {
		return "6c 01" + flags + "01" + body + serial + fields
	}
	for _, tc := range []struct {
		name string
		call busCall
		want []byte
	}{
		{
			name: "OpenSession",
			call: openSessionCall(),
			want: unhex(t,
				header("00", "15000000", "05000000", "90000000"), // body 21, serial 5, fields 144
				"01 01 6f 00", "18000000", hexStr(ssPath), "00", "00000000000000", // PATH 16..49 → 56
				"02 01 73 00", "1e000000", hexStr(ssService), "00", "00", // INTERFACE 56..95 → 96
				"03 01 73 00", "0b000000", hexStr("OpenSession"), "00", "00000000", // MEMBER 96..116 → 120
				"06 01 73 00", "17000000", hexStr(ssName), "00", // DESTINATION 120..152
				"08 01 67 00", "02", hexStr("sv"), "00", // SIGNATURE "sv" 152..160 = 16+144
				"05000000", hexStr("plain"), "00", // s "plain": body 0..10
				"01", hexStr("s"), "00", "000000", // v: signature "s" 10..13, pad to 16
				"00000000", "00", // the variant's empty string, ends at 21
			),
		},
		{
			name: "GetSecret",
			call: getSecretCall("/org/freedesktop/secrets/collection/login/7", "/org/freedesktop/secrets/session/3"),
			want: unhex(t,
				header("00", "27000000", "05000000", "9f000000"), // body 39, fields 159
				"01 01 6f 00", "2b000000", hexStr("/org/freedesktop/secrets/collection/login/7"), "00", "00000000", // 16..68 → 72
				"02 01 73 00", "1b000000", hexStr(ssItem), "00", "00000000", // 72..108 → 112
				"03 01 73 00", "09000000", hexStr("GetSecret"), "00", "000000000000", // 112..130 → 136
				"06 01 73 00", "17000000", hexStr(ssName), "00", // 136..168
				"08 01 67 00", "01", hexStr("o"), "00", // 168..175 = 16+159
				"00",                                                           // body starts at 176
				"22000000", hexStr("/org/freedesktop/secrets/session/3"), "00", // o: 4+34+1 = 39
			),
		},
		{
			// NO_REPLY_EXPECTED set, no body, no SIGNATURE field.
			name: "Close",
			call: closeSessionCall("/org/freedesktop/secrets/session/3"),
			want: unhex(t,
				header("01", "00000000", "05000000", "88000000"), // fields 136
				"01 01 6f 00", "22000000", hexStr("/org/freedesktop/secrets/session/3"), "00", "0000000000", // 16..59 → 64
				"02 01 73 00", "1e000000", hexStr(ssSession), "00", "00", // 64..103 → 104
				"03 01 73 00", "05000000", hexStr("Close"), "00", "0000", // 104..118 → 120
				"06 01 73 00", "17000000", hexStr(ssName), "00", // 120..152 = 16+136
			),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := encodeCall(5, tc.call)
			if !bytes.Equal(got, tc.want) {
				t.Errorf("encodeCall =\n%x\nwant\n%x", got, tc.want)
			}
			m, err := dbus.DecodeMessage(bytes.NewReader(got))
			if err != nil {
				t.Fatalf("godbus cannot decode it: %v", err)
			}
			if m.Headers[dbus.FieldMember].Value() != tc.call.member ||
				(m.Flags&dbus.FlagNoReplyExpected != 0) != tc.call.noReply {
				t.Errorf("godbus reads %v (flags %x)", m, m.Flags)
			}
		})
	}
}

// secretReply is a GetSecret reply as another implementation (godbus,
// which go-keyring uses) encodes it.
func secretReply(t testing.TB, order binary.ByteOrder, body ...any) []byte {
	return godbusMessage(t, order, dbus.TypeMethodReply, 40, replyTo(4), body...)
}

type wireSecret struct {
	Session     dbus.ObjectPath
	Params      []byte
	Value       []byte
	ContentType string
}

// TestSecretValue decodes GetSecret replies into what go-keyring would
// return, and declines (never guesses at) anything unusual.
func TestSecretValue(t *testing.T) {
	t.Parallel()
	const sess = "/org/freedesktop/secrets/session/3"
	secret := `anytype_"quoted" 'single' \back\slash ключ 🔑 tab	end`
	ok := func(v string, ct string) wireSecret { return wireSecret{sess, []byte{}, []byte(v), ct} }
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for _, ct := range plainTypes {
			m, err := decodeMessage(secretReply(t, order, ok(secret, ct)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := secretValue(busReply{sig: m.sig, body: m.body}, sess)
			if err != nil || got != secret {
				t.Errorf("%s, %q: secretValue = %q, %v", order, ct, got, err)
			}
		}
	}
	// go-keyring returns string(value) whatever the bytes; so does this.
	m, _ := decodeMessage(secretReply(t, binary.LittleEndian, ok("a\nb\x00\xff", "text/plain")))
	if got, err := secretValue(busReply{sig: m.sig, body: m.body}, sess); err != nil || got != "a\nb\x00\xff" {
		t.Errorf("odd bytes: secretValue = %q, %v", got, err)
	}

	for _, tc := range []struct {
		name  string
		reply busReply
		want  error
	}{
		{"error reply", busReply{err: &busError{name: "org.freedesktop.Secret.Error.IsLocked"}}, errRawGetDeclined},
		{"other session", reply(t, wireSecret{"/org/freedesktop/secrets/session/9", nil, []byte(secret), "text/plain"}), errRawGetDeclined},
		{"parameters in a plain session", reply(t, wireSecret{sess, []byte{1}, []byte(secret), "text/plain"}), errRawGetDeclined},
		{"unexpected content type", reply(t, ok(secret, "application/octet-stream")), errRawGetDeclined},
		{"no struct", reply(t, dbus.ObjectPath(sess), []byte(secret), []byte(secret), "text/plain"), errRawBus},
		{"strings for bytes", reply(t, struct {
			S    dbus.ObjectPath
			P, V string
			C    string
		}{sess, "", secret, "text/plain"}), errRawBus},
		{"three fields", reply(t, struct {
			S dbus.ObjectPath
			V []byte
			C string
		}{sess, []byte(secret), "text/plain"}), errRawBus},
	} {
		got, err := secretValue(tc.reply, sess)
		if got != "" || !errors.Is(err, tc.want) {
			t.Errorf("%s: secretValue = %q, %v; want %v", tc.name, got, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "anytype_") {
			t.Errorf("%s: the error quotes the secret: %v", tc.name, err)
		}
	}

	// Broken encodings of the reply never reach secretValue.
	good := secretReply(t, binary.LittleEndian, ok(secret, "text/plain"))
	for _, b := range [][]byte{
		good[:len(good)-1], // truncated: shorter than the header says
		patchValueLen(good, 0xfff),
		patchValueLen(good, 0xffffffff),
	} {
		if _, err := decodeMessage(b); !errors.Is(err, errBadMessage) {
			t.Errorf("decodeMessage(broken GetSecret reply) = %v, want errBadMessage", err)
		}
	}
}

// reply decodes a godbus-encoded reply into what do hands secretValue.
func reply(t *testing.T, body ...any) busReply {
	t.Helper()
	m, err := decodeMessage(secretReply(t, binary.LittleEndian, body...))
	if err != nil {
		t.Fatal(err)
	}
	return busReply{sig: m.sig, body: m.body}
}

// patchValueLen overwrites the length of the value array in a
// little-endian GetSecret reply made by secretReply with an empty
// parameters array: session o, empty ay, then the value's ay length.
func patchValueLen(msg []byte, n uint32) []byte {
	b := bytes.Clone(msg)
	hdr, _ := messageLen(b[:16])
	bodyLen := int(binary.LittleEndian.Uint32(b[4:]))
	body := hdr - bodyLen
	sessLen := int(binary.LittleEndian.Uint32(b[body:]))
	at := body + 4 + sessLen + 1
	at = (at + 3) &^ 3 // params length
	at += 4            // empty params
	binary.LittleEndian.PutUint32(b[at:], n)
	return b
}

// TestPickItem: the raw Get reads an item only where go-keyring would
// read the same one.
func TestPickItem(t *testing.T) {
	t.Parallel()
	login := func(n string) string { return loginPrefix + n }
	other := "/org/freedesktop/secrets/collection/work/1"
	for _, tc := range []struct {
		name             string
		unlocked, locked []string
		want             string
		err              error
	}{
		{"one unlocked in login", []string{login("7")}, nil, login("7"), nil},
		{"and one elsewhere", []string{other, login("7")}, []string{"/org/freedesktop/secrets/collection/x/2"}, login("7"), nil},
		{"nothing anywhere", nil, nil, "", nil},
		{"locked in login", nil, []string{login("7")}, "", errRawGetDeclined},
		{"two in login", []string{login("7"), login("8")}, nil, "", errRawGetDeclined},
		{"unlocked and locked in login", []string{login("7")}, []string{login("8")}, "", errRawGetDeclined},
		{"only elsewhere", []string{other}, nil, "", errRawGetDeclined},
		{"not a direct child", []string{login("7/x")}, nil, "", errRawGetDeclined},
		{"login itself", []string{loginCollection}, nil, "", errRawGetDeclined},
		{"login-like name", []string{loginCollection + "2/7"}, nil, "", errRawGetDeclined},
	} {
		r := reply(t, toPaths(tc.unlocked), toPaths(tc.locked))
		got, err := pickItem(r)
		if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("%s: pickItem = %q, %v; want %q, %v", tc.name, got, err, tc.want, tc.err)
		}
	}
	if _, err := pickItem(reply(t, "not paths")); !errors.Is(err, errRawBus) {
		t.Errorf("wrong reply type: %v, want errRawBus", err)
	}
	if _, err := pickItem(busReply{err: &busError{name: "org.freedesktop.DBus.Error.UnknownMethod"}}); !errors.Is(err, errRawGetDeclined) {
		t.Errorf("error reply: %v, want errRawGetDeclined", err)
	}
}

func toPaths(ps []string) []dbus.ObjectPath {
	out := []dbus.ObjectPath{}
	for _, p := range ps {
		out = append(out, dbus.ObjectPath(p))
	}
	return out
}

// TestGetViaFallsBack: whenever the raw Get is not sure, the answer is
// the fallback's (go-keyring's), whatever it is.
func TestGetViaFallsBack(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{
		"tcp:host=127.0.0.1,port=9",
		fakeBus(t, "REJECTED EXTERNAL\r\n", nil),
		fakeBus(t, "OK 0\r\n", func(*busMessage, string) [][]byte { return [][]byte{[]byte("garbage garbage garbage!")} }),
	} {
		called := false
		got, err := getVia(t.Context(), addr, Service, "x", func() (string, error) { called = true; return "", keyring.ErrNotFound })
		if !called || got != "" || !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("%s: getVia = %q, %v, fallback called %v", addr, got, err, called)
		}
	}
}
