package keystore

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
)

// unhex joins hex pieces (spaces allowed) into bytes.
func unhex(t testing.TB, pieces ...string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(strings.Join(pieces, ""), " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hexStr is s as hex, for building expectations next to their meaning.
func hexStr(s string) string { return hex.EncodeToString([]byte(s)) }

// TestEncodeCallBytes checks the encoder byte for byte against messages
// worked out from the spec's "Message Format" rules.
func TestEncodeCallBytes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		call busCall
		want []byte
	}{
		{
			// The Hello every client sends first; libdbus's is the same
			// 128 bytes (its header-fields length is 0x6d, "m").
			name: "Hello",
			call: busCall{dest: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
				iface: "org.freedesktop.DBus", member: "Hello"},
			want: unhex(t,
				"6c 01 00 01", "00000000", "01000000", // 'l', call, no flags, v1; body 0; serial 1
				"6d000000",                                                       // fields: 109 bytes
				"01 01 6f 00", "15000000", hexStr("/org/freedesktop/DBus"), "00", // PATH o, 21 bytes
				"0000",                                                          // pad to 8 (46 → 48)
				"02 01 73 00", "14000000", hexStr("org.freedesktop.DBus"), "00", // INTERFACE s
				"000000",                                         // 77 → 80
				"03 01 73 00", "05000000", hexStr("Hello"), "00", // MEMBER s
				"0000",                                                          // 94 → 96
				"06 01 73 00", "14000000", hexStr("org.freedesktop.DBus"), "00", // DESTINATION s
				"000000", // 125 → 128: body starts 8-aligned
			),
		},
		{
			// A call with an a{ss} body: the array length (23) counts from
			// the first dict entry, after the 4 padding bytes.
			name: "SearchItems",
			call: busCall{dest: "d", path: "/", member: "M", sig: "a{ss}",
				body: func(e *wireEncoder) { e.dictSS("service", "anykey") }},
			want: unhex(t,
				"6c 01 00 01", "1f000000", "07000000", // body 31 bytes, serial 7
				"3b000000",                                         // fields: 59 bytes
				"01 01 6f 00", "01000000", "2f 00", "000000000000", // PATH "/" (16..25), pad → 32
				"03 01 73 00", "01000000", "4d 00", "000000000000", // MEMBER "M", pad 42 → 48
				"06 01 73 00", "01000000", "64 00", "000000000000", // DESTINATION "d", pad 58 → 64
				"08 01 67 00", "05", hexStr("a{ss}"), "00", // SIGNATURE g, ends at 75 = 16+59
				"00 00 00 00 00",       // 75 → 80
				"17000000", "00000000", // array: 23 bytes, pad to 8
				"07000000", hexStr("service"), "00",
				"06000000", hexStr("anykey"), "00",
			),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			serial := uint32(1)
			if tc.name == "SearchItems" {
				serial = 7
			}
			got := encodeCall(serial, tc.call)
			if !bytes.Equal(got, tc.want) {
				t.Errorf("encodeCall =\n%x\nwant\n%x", got, tc.want)
			}
			// And an independent decoder agrees on what it says.
			m, err := dbus.DecodeMessage(bytes.NewReader(got))
			if err != nil {
				t.Fatalf("godbus cannot decode it: %v", err)
			}
			if m.Serial() != serial || m.Headers[dbus.FieldMember].Value() != tc.call.member {
				t.Errorf("godbus reads %v", m)
			}
		})
	}
}

// godbusMessage encodes a message with godbus, in the given byte order.
func godbusMessage(t testing.TB, order binary.ByteOrder, typ dbus.Type, serial uint32, h map[dbus.HeaderField]dbus.Variant, body ...any) []byte {
	t.Helper()
	m := &dbus.Message{Type: typ, Headers: h, Body: body}
	if len(body) > 0 {
		m.Headers[dbus.FieldSignature] = dbus.MakeVariant(dbus.SignatureOf(body...))
	}
	var buf bytes.Buffer
	if err := m.EncodeTo(&buf, order); err != nil {
		t.Fatal(err)
	}
	// godbus leaves the serial to its connection; it sits at offset 8.
	b := buf.Bytes()
	order.PutUint32(b[8:], serial)
	return b
}

func replyTo(serial uint32) map[dbus.HeaderField]dbus.Variant {
	return map[dbus.HeaderField]dbus.Variant{dbus.FieldReplySerial: dbus.MakeVariant(serial)}
}

// TestDecodeMessage decodes what another implementation (godbus) encodes,
// in both byte orders, and refuses broken messages.
func TestDecodeMessage(t *testing.T) {
	t.Parallel()
	paths := []dbus.ObjectPath{"/org/freedesktop/secrets/collection/login/1", "/o/2"}
	attrs := dbus.MakeVariant(map[string]string{"service": "anykey"})
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for _, tc := range []struct {
			name string
			msg  []byte
			want busMessage
		}{
			{"SearchItems reply", godbusMessage(t, order, dbus.TypeMethodReply, 9, replyTo(3), paths, []dbus.ObjectPath{}),
				busMessage{typ: msgReturn, serial: 9, replySerial: 3, sig: "aoao",
					body: []any{[]any{string(paths[0]), string(paths[1])}, []any(nil)}}},
			{"Attributes reply", godbusMessage(t, order, dbus.TypeMethodReply, 10, replyTo(4), attrs),
				busMessage{typ: msgReturn, serial: 10, replySerial: 4, sig: "v",
					body: []any{busVariant{"a{ss}", []any{[]any{"service", "anykey"}}}}}},
			{"error", godbusMessage(t, order, dbus.TypeError, 11, map[dbus.HeaderField]dbus.Variant{
				dbus.FieldReplySerial: dbus.MakeVariant(uint32(5)),
				dbus.FieldErrorName:   dbus.MakeVariant("org.freedesktop.DBus.Error.UnknownObject"),
			}, "no such object"),
				busMessage{typ: msgError, serial: 11, replySerial: 5, sig: "s",
					errName: "org.freedesktop.DBus.Error.UnknownObject", body: []any{"no such object"}}},
			{"signal with every basic type", godbusMessage(t, order, dbus.TypeSignal, 12, map[dbus.HeaderField]dbus.Variant{
				dbus.FieldPath:      dbus.MakeVariant(dbus.ObjectPath("/p")),
				dbus.FieldInterface: dbus.MakeVariant("i.f"),
				dbus.FieldMember:    dbus.MakeVariant("NameAcquired"),
			}, byte(1), true, int16(-2), uint16(3), int32(-4), uint32(5), int64(-6), uint64(7), 0.5,
				dbus.Signature{}, []struct{ A byte }{{8}}),
				busMessage{typ: msgSignal, serial: 12, sig: "ybnqiuxtdga(y)",
					body: []any{byte(1), true, uint16(0xfffe), uint16(3), uint32(0xfffffffc), uint32(5),
						uint64(0xfffffffffffffffa), uint64(7), 0.5, "", []any{[]any{byte(8)}}}}},
		} {
			t.Run(tc.name+"/"+order.String(), func(t *testing.T) {
				t.Parallel()
				got, err := decodeMessage(tc.msg)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(*got, tc.want) {
					t.Errorf("decodeMessage =\n%#v\nwant\n%#v", *got, tc.want)
				}
			})
		}
	}
}

// TestDecodeMessageRejects: broken input is an error wrapping
// errBadMessage, never a panic or a half-read message.
func TestDecodeMessageRejects(t *testing.T) {
	t.Parallel()
	good := godbusMessage(t, binary.LittleEndian, dbus.TypeMethodReply, 9, replyTo(3), true)
	patch := func(at int, b ...byte) []byte {
		m := bytes.Clone(good)
		copy(m[at:], b)
		return m
	}
	bodyAt := len(good) - 4
	for _, tc := range []struct {
		name string
		msg  []byte
	}{
		{"empty", nil},
		{"short header", good[:15]},
		{"truncated", good[:len(good)-1]},
		{"trailing byte", append(bytes.Clone(good), 0)},
		{"byte order", patch(0, 'x')},
		{"version 2", patch(3, 2)},
		{"serial 0", patch(8, 0)},
		{"boolean 2", patch(bodyAt, 2)},
		{"huge body length", patch(4, 0xff, 0xff, 0xff, 0x7f)},
		{"fields overrun", patch(12, 0xf0)},
		{"signature with unclosed struct", sigMessage(t, "(i", nil)},
		{"signature with empty struct", sigMessage(t, "()", nil)},
		{"dict entry with one member", sigMessage(t, "a{s}", unhex(t, "00000000"))},
		{"string without NUL", sigMessage(t, "s", unhex(t, "01000000 41 42 000000"))},
		{"array overruns", sigMessage(t, "ay", unhex(t, "08000000 01"))},
		{"array element overruns its length", sigMessage(t, "au", unhex(t, "02000000 01000000"))},
		{"variant of two types", sigMessage(t, "v", unhex(t, "02 7979 00 01 02 0000"))},
		{"deep variants", sigMessage(t, "v", bytes.Repeat(unhex(t, "01 76 00"), 100))},
		{"body shorter than signature", sigMessage(t, "uu", unhex(t, "01000000"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := decodeMessage(tc.msg)
			if !errors.Is(err, errBadMessage) {
				t.Errorf("decodeMessage = %+v, %v; want errBadMessage", m, err)
			}
		})
	}
}

// sigMessage is a method return with serial 1 whose SIGNATURE field is
// sig and whose body is body, however wrong the two are together.
func sigMessage(t testing.TB, sig string, body []byte) []byte {
	t.Helper()
	e := wireEncoder{}
	e.byte('l')
	e.byte(msgReturn)
	e.byte(0)
	e.byte(1)
	e.u32(uint32(len(body)))
	e.u32(1)
	e.array(8, func() {
		e.align(8)
		e.byte(fieldSignature)
		e.sig("g")
		e.sig(sig)
	})
	e.align(8)
	return append(e.b, body...)
}

// FuzzDecodeMessage: no input makes the decoder panic, and what it
// accepts has the length the header claims.
func FuzzDecodeMessage(f *testing.F) {
	f.Add(encodeCall(1, busCall{dest: "d", path: "/", member: "M", sig: "a{ss}",
		body: func(e *wireEncoder) { e.dictSS("service", "anykey") }}))
	f.Add(godbusMessage(f, binary.BigEndian, dbus.TypeMethodReply, 2, replyTo(1),
		dbus.MakeVariant(map[string]string{"username": "x"})))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeMessage(b)
		if err != nil {
			return
		}
		if n, _ := messageLen(b); n != len(b) || m.serial == 0 {
			t.Errorf("accepted %d bytes, header says %d, serial %d", len(b), n, m.serial)
		}
	})
}
