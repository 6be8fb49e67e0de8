package keystore

// The value half of the D-Bus decoder (dbuswire_linux.go has the rest):
// signatures and every type the spec defines, so that fields and replies
// we do not use can be stepped over, never trusted.

import (
	"encoding/binary"
	"fmt"
	"math"
)

// nextType splits the first complete type off sig.
func nextType(sig string) (string, string, error) {
	n, err := typeLen(sig, 0)
	if err != nil {
		return "", "", err
	}
	return sig[:n], sig[n:], nil
}

func typeLen(sig string, depth int) (int, error) {
	if sig == "" || depth > maxBusDepth {
		return 0, fmt.Errorf("%w: bad signature", errBadMessage)
	}
	switch sig[0] {
	case 'y', 'b', 'n', 'q', 'i', 'u', 'x', 't', 'd', 's', 'o', 'g', 'h', 'v':
		return 1, nil
	case 'a':
		n, err := typeLen(sig[1:], depth+1)
		return 1 + n, err
	case '(', '{':
		end := byte(')')
		if sig[0] == '{' {
			end = '}'
		}
		i, members := 1, 0
		for i < len(sig) && sig[i] != end {
			n, err := typeLen(sig[i:], depth+1)
			if err != nil {
				return 0, err
			}
			i += n
			members++
		}
		if i == len(sig) || members == 0 || (end == '}' && members != 2) {
			return 0, fmt.Errorf("%w: bad signature", errBadMessage)
		}
		return i + 1, nil
	}
	return 0, fmt.Errorf("%w: bad signature", errBadMessage)
}

type wireDecoder struct {
	b     []byte
	pos   int
	order binary.ByteOrder
}

func (d *wireDecoder) align(n int) error {
	p := (d.pos + n - 1) &^ (n - 1)
	if p > len(d.b) {
		return errBadMessage
	}
	d.pos = p
	return nil
}

func (d *wireDecoder) take(n int) ([]byte, error) {
	if n < 0 || n > len(d.b)-d.pos {
		return nil, errBadMessage
	}
	s := d.b[d.pos : d.pos+n]
	d.pos += n
	return s, nil
}

func (d *wireDecoder) fixed(n int) ([]byte, error) {
	if err := d.align(n); err != nil {
		return nil, err
	}
	return d.take(n)
}

func alignOf(t byte) int {
	switch t {
	case 'n', 'q':
		return 2
	case 'b', 'i', 'u', 'h', 's', 'o', 'a':
		return 4
	case 'x', 't', 'd', '(', '{':
		return 8
	}
	return 1 // y, g, v
}

// value decodes one value of the complete type t: integers as their Go
// types, strings as string, ay as []byte (a secret arrives so, and a
// []any of bytes would be an allocation per byte), other arrays and
// structs as []any, v as variant.
func (d *wireDecoder) value(t string, depth int) (any, error) {
	if depth > maxBusDepth {
		return nil, fmt.Errorf("%w: nested too deep", errBadMessage)
	}
	switch t[0] {
	case 'y':
		b, err := d.take(1)
		if err != nil {
			return nil, err
		}
		return b[0], nil
	case 'n', 'q':
		b, err := d.fixed(2)
		if err != nil {
			return nil, err
		}
		return d.order.Uint16(b), nil
	case 'b', 'i', 'u', 'h':
		b, err := d.fixed(4)
		if err != nil {
			return nil, err
		}
		v := d.order.Uint32(b)
		if t[0] == 'b' {
			if v > 1 {
				return nil, fmt.Errorf("%w: boolean %d", errBadMessage, v)
			}
			return v == 1, nil
		}
		return v, nil
	case 'x', 't', 'd':
		b, err := d.fixed(8)
		if err != nil {
			return nil, err
		}
		if t[0] == 'd' {
			return math.Float64frombits(d.order.Uint64(b)), nil
		}
		return d.order.Uint64(b), nil
	case 's', 'o':
		b, err := d.fixed(4)
		if err != nil {
			return nil, err
		}
		return d.str(int(d.order.Uint32(b)))
	case 'g':
		b, err := d.take(1)
		if err != nil {
			return nil, err
		}
		return d.str(int(b[0]))
	case 'v':
		b, err := d.take(1)
		if err != nil {
			return nil, err
		}
		s, err := d.str(int(b[0]))
		if err != nil {
			return nil, err
		}
		inner, rest, err := nextType(s)
		if err != nil || rest != "" {
			return nil, fmt.Errorf("%w: busVariant signature %q", errBadMessage, s)
		}
		v, err := d.value(inner, depth+1)
		return busVariant{s, v}, err
	case 'a':
		b, err := d.fixed(4)
		if err != nil {
			return nil, err
		}
		n := d.order.Uint32(b)
		if n > maxBusArray {
			return nil, fmt.Errorf("%w: array of %d bytes", errBadMessage, n)
		}
		if err := d.align(alignOf(t[1])); err != nil {
			return nil, err
		}
		end := d.pos + int(n)
		if end > len(d.b) {
			return nil, errBadMessage
		}
		if t == "ay" {
			b, _ := d.take(int(n))
			return append([]byte{}, b...), nil
		}
		var elems []any
		for d.pos < end {
			v, err := d.value(t[1:], depth+1)
			if err != nil {
				return nil, err
			}
			elems = append(elems, v)
		}
		if d.pos != end {
			return nil, fmt.Errorf("%w: array overruns its length", errBadMessage)
		}
		return elems, nil
	case '(', '{':
		if err := d.align(8); err != nil {
			return nil, err
		}
		var fields []any
		for rest := t[1 : len(t)-1]; rest != ""; {
			ft, r, err := nextType(rest)
			if err != nil {
				return nil, err
			}
			v, err := d.value(ft, depth+1)
			if err != nil {
				return nil, err
			}
			fields = append(fields, v)
			rest = r
		}
		return fields, nil
	}
	return nil, fmt.Errorf("%w: type %q", errBadMessage, t)
}

// str reads n bytes and the NUL after them.
func (d *wireDecoder) str(n int) (string, error) {
	b, err := d.take(n + 1)
	if err != nil {
		return "", err
	}
	if b[n] != 0 {
		return "", fmt.Errorf("%w: string without NUL", errBadMessage)
	}
	return string(b[:n]), nil
}
