package auth

import (
	"net/netip"
	"testing"
)

func TestParseProcAddr(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0100007F:7A21", "127.0.0.1:31265"},
		{"00000000:7A21", "0.0.0.0:31265"},
		{"00000000000000000000000001000000:7A24", "[::1]:31268"},
		{"0000000000000000FFFF00000100007F:0050", "127.0.0.1:80"},
		{"00000000000000000000000000000000:0050", "[::]:80"},
	} {
		l, err := parseProcAddr(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := netip.AddrPortFrom(l.addr, l.port).String(); got != tc.want {
			t.Errorf("parseProcAddr(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"", "0100007F", "0100007F:zz", "01007F:0050", "0100007F:10000"} {
		if _, err := parseProcAddr(bad); err == nil {
			t.Errorf("parseProcAddr(%q) passed", bad)
		}
	}
}
