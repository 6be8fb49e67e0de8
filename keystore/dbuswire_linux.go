package keystore

// Just enough of the D-Bus wire format (dbus-specification, "Message
// Protocol") for a few method calls: an encoder for the types anykey sends
// (s, o, g, y, u, a{ss}, a v holding an s, the a(yv) header fields) and a decoder for any
// well-formed message, because header fields and replies may carry types
// we do not care about and must still be stepped over.

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// D-Bus message types (spec: "Message Format").
const (
	msgCall   = 1
	msgReturn = 2
	msgError  = 3
	msgSignal = 4
)

// Header field codes (spec: "Header Fields").
const (
	fieldPath        = 1
	fieldInterface   = 2
	fieldMember      = 3
	fieldErrorName   = 4
	fieldReplySerial = 5
	fieldDestination = 6
	fieldSignature   = 8
)

const (
	// maxBusMessage is the spec's limit on a whole message (2^27 bytes).
	maxBusMessage = 1 << 27
	// maxBusArray is the spec's limit on one array's contents (2^26 bytes).
	maxBusArray = 1 << 26
	// maxBusDepth bounds nesting: the spec allows 32 array plus 32 struct
	// levels, and variants count too; a decoder on garbage must not
	// recurse without limit.
	maxBusDepth = 64
)

var errBadMessage = errors.New("malformed D-Bus message")

// wireEncoder appends little-endian D-Bus values. Alignment is relative to
// the start of b, which is the start of the message or of its body (both
// 8-aligned in the message).
type wireEncoder struct{ b []byte }

func (e *wireEncoder) align(n int) {
	for len(e.b)%n != 0 {
		e.b = append(e.b, 0)
	}
}

func (e *wireEncoder) byte(v byte) { e.b = append(e.b, v) }

func (e *wireEncoder) u32(v uint32) {
	e.align(4)
	e.b = binary.LittleEndian.AppendUint32(e.b, v)
}

// str writes an s or o: length, bytes, NUL.
func (e *wireEncoder) str(s string) {
	e.u32(uint32(len(s)))
	e.b = append(e.b, s...)
	e.b = append(e.b, 0)
}

// sig writes a g: one length byte, bytes, NUL.
func (e *wireEncoder) sig(s string) {
	e.b = append(e.b, byte(len(s)))
	e.b = append(e.b, s...)
	e.b = append(e.b, 0)
}

// array writes an array whose elements are aligned to elemAlign. The
// length counts the elements only, not the padding before the first.
func (e *wireEncoder) array(elemAlign int, elems func()) {
	e.u32(0)
	at := len(e.b) - 4
	e.align(elemAlign)
	start := len(e.b)
	elems()
	binary.LittleEndian.PutUint32(e.b[at:], uint32(len(e.b)-start))
}

// dictSS writes an a{ss} with keys in the given order.
func (e *wireEncoder) dictSS(kv ...string) {
	e.array(8, func() {
		for i := 0; i+1 < len(kv); i += 2 {
			e.align(8)
			e.str(kv[i])
			e.str(kv[i+1])
		}
	})
}

// variantStr writes a v holding the string s.
func (e *wireEncoder) variantStr(s string) {
	e.sig("s")
	e.str(s)
}

// flagNoReply is NO_REPLY_EXPECTED (spec: "Message Format"): the peer
// sends no reply, so a client that closes right after need not wait.
const flagNoReply = 0x1

// busCall is one method call to encode.
type busCall struct {
	dest, path, iface, member string
	sig                       string             // body signature, "" for none
	body                      func(*wireEncoder) // writes the body; nil for none
	noReply                   bool               // sets flagNoReply
}

// encodeCall returns the whole message for c with the given serial.
func encodeCall(serial uint32, c busCall) []byte {
	var body wireEncoder
	if c.body != nil {
		c.body(&body)
	}
	e := wireEncoder{b: make([]byte, 0, 128+len(body.b))}
	e.byte('l')
	e.byte(msgCall)
	if c.noReply {
		e.byte(flagNoReply)
	} else {
		e.byte(0)
	}
	e.byte(1) // protocol version
	e.u32(uint32(len(body.b)))
	e.u32(serial)
	field := func(code byte, typ byte, val string) {
		e.align(8)
		e.byte(code)
		e.sig(string(typ))
		if typ == 'g' {
			e.sig(val)
		} else {
			e.str(val)
		}
	}
	e.array(8, func() {
		field(fieldPath, 'o', c.path)
		if c.iface != "" {
			field(fieldInterface, 's', c.iface)
		}
		field(fieldMember, 's', c.member)
		if c.dest != "" {
			field(fieldDestination, 's', c.dest)
		}
		if c.sig != "" {
			field(fieldSignature, 'g', c.sig)
		}
	})
	e.align(8)
	return append(e.b, body.b...)
}

// busMessage is a decoded incoming message: the header fields a caller
// branches on, and the body decoded by its signature.
type busMessage struct {
	typ         byte
	serial      uint32
	replySerial uint32
	errName     string
	sig         string
	body        []any
}

// busVariant is a decoded v.
type busVariant struct {
	sig string
	val any
}

// messageLen returns the length of the message whose first 16 bytes are
// hdr, so a reader knows how much to read.
func messageLen(hdr []byte) (int, error) {
	if len(hdr) < 16 {
		return 0, errBadMessage
	}
	order, err := byteOrder(hdr[0])
	if err != nil {
		return 0, err
	}
	body := uint64(order.Uint32(hdr[4:]))
	fields := uint64(order.Uint32(hdr[12:]))
	n := (16+fields+7)&^7 + body
	if n > maxBusMessage {
		return 0, fmt.Errorf("%w: %d bytes", errBadMessage, n)
	}
	return int(n), nil
}

func byteOrder(b byte) (binary.ByteOrder, error) {
	switch b {
	case 'l':
		return binary.LittleEndian, nil
	case 'B':
		return binary.BigEndian, nil
	}
	return nil, fmt.Errorf("%w: byte order %q", errBadMessage, b)
}

// decodeMessage decodes one whole message. It never panics, whatever b
// holds.
func decodeMessage(b []byte) (*busMessage, error) {
	n, err := messageLen(b)
	if err != nil {
		return nil, err
	}
	if len(b) != n {
		return nil, fmt.Errorf("%w: %d bytes, header says %d", errBadMessage, len(b), n)
	}
	order, _ := byteOrder(b[0])
	m := &busMessage{typ: b[1], serial: order.Uint32(b[8:])}
	if b[3] != 1 || m.serial == 0 {
		return nil, fmt.Errorf("%w: version %d, serial %d", errBadMessage, b[3], m.serial)
	}
	d := wireDecoder{b: b, pos: 12, order: order}
	fields, err := d.value("a(yv)", 0)
	if err != nil {
		return nil, err
	}
	for _, f := range fields.([]any) {
		sf := f.([]any)
		v := sf[1].(busVariant)
		var ok bool
		switch sf[0].(byte) {
		case fieldErrorName:
			m.errName, ok = v.val.(string)
			ok = ok && v.sig == "s"
		case fieldReplySerial:
			m.replySerial, ok = v.val.(uint32)
		case fieldSignature:
			m.sig, ok = v.val.(string)
			ok = ok && v.sig == "g"
		default:
			ok = true // a field we do not use
		}
		if !ok {
			return nil, fmt.Errorf("%w: header field %d has type %s", errBadMessage, sf[0], v.sig)
		}
	}
	if err := d.align(8); err != nil {
		return nil, err
	}
	body := wireDecoder{b: b[d.pos:], order: order}
	for rest := m.sig; rest != ""; {
		t, r, err := nextType(rest)
		if err != nil {
			return nil, err
		}
		v, err := body.value(t, 0)
		if err != nil {
			return nil, err
		}
		m.body = append(m.body, v)
		rest = r
	}
	if body.pos != len(body.b) {
		return nil, fmt.Errorf("%w: %d bytes after the body", errBadMessage, len(body.b)-body.pos)
	}
	return m, nil
}
