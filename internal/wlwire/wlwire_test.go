//go:build linux || freebsd || openbsd || netbsd || dragonfly

package wlwire

import (
	"errors"
	"testing"
)

func TestEncodeDecode(t *testing.T) {
	for _, s := range []string{"", "a", "ab", "abc", "abcd", "x-kde-passwordManagerHint"} {
		b, err := Encode(7, 3, uint32(42), s, uint32(9))
		if err != nil {
			t.Fatal(err)
		}
		if len(b)%4 != 0 {
			t.Fatalf("%q: message of %d bytes, not whole words", s, len(b))
		}
		ev, n, err := Decode(append(b, 1, 2, 3)) // trailing bytes of the next message
		if err != nil || n != len(b) || ev.Object != 7 || ev.Opcode != 3 {
			t.Fatalf("%q: Decode = %+v, %d, %v", s, ev, n, err)
		}
		a := NewArgs(ev)
		u, err1 := a.Uint()
		got, err2 := a.String()
		v, err3 := a.Uint()
		if err := errors.Join(err1, err2, err3); err != nil || u != 42 || got != s || v != 9 {
			t.Errorf("%q: args = %d %q %d, %v", s, u, got, v, err)
		}
		if _, err := a.Uint(); !errors.Is(err, ErrMessage) {
			t.Errorf("%q: reading past the last argument: %v", s, err)
		}
	}
	if _, err := Encode(1, 0, "a\x00b"); err == nil {
		t.Error("a string with a NUL was encoded")
	}
}

func TestDecodePartial(t *testing.T) {
	b, _ := Encode(3, 0, "text/plain")
	for i := 0; i < len(b); i++ {
		if _, n, err := Decode(b[:i]); n != 0 || err != nil {
			t.Fatalf("%d of %d bytes: n=%d err=%v, want to wait for more", i, len(b), n, err)
		}
	}
	bad := append([]byte(nil), b...)
	bad[6], bad[7] = 6, 0 // size 6: less than a header
	if _, _, err := Decode(bad); !errors.Is(err, ErrMessage) {
		t.Errorf("size 6: %v, want ErrMessage", err)
	}
}

func TestStringHostile(t *testing.T) {
	for name, args := range map[string][]byte{
		"length past the end": {200, 0, 0, 0, 'a', 'b', 0, 0},
		"no NUL":              {4, 0, 0, 0, 'a', 'b', 'c', 'd'},
		"length 0xffffffff":   {0xff, 0xff, 0xff, 0xff},
		"truncated length":    {1, 0},
	} {
		if _, err := (&Args{b: args}).String(); !errors.Is(err, ErrMessage) {
			t.Errorf("%s: %v, want ErrMessage", name, err)
		}
	}
}

// FuzzDecode: what the compositor sends never panics the decoder, and a
// message it accepts lies within the bytes given.
func FuzzDecode(f *testing.F) {
	b, _ := Encode(2, 0, uint32(1), "wl_seat", uint32(7))
	f.Add(b)
	f.Add([]byte{1, 0, 0, 0, 0, 0, 8, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		for len(b) > 0 {
			ev, n, err := Decode(b)
			if err != nil || n == 0 {
				return
			}
			if n > len(b) || len(ev.Args) != n-8 {
				t.Fatalf("n=%d of %d bytes, args %d", n, len(b), len(ev.Args))
			}
			a := NewArgs(ev)
			for {
				if _, err := a.String(); err != nil {
					break
				}
			}
			b = b[n:]
		}
	})
}
