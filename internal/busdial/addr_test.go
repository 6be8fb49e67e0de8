package busdial

import (
	"reflect"
	"testing"
)

func TestParseAddrs(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []busAddr
	}{
		{"unix:path=/run/user/1000/bus", []busAddr{{"unix", map[string]string{"path": "/run/user/1000/bus"}}}},
		{"unix:path=/gone;tcp:host=127.0.0.1,port=4000", []busAddr{
			{"unix", map[string]string{"path": "/gone"}},
			{"tcp", map[string]string{"host": "127.0.0.1", "port": "4000"}},
		}},
		// Escaped ';', ',' and '=' stay inside their value.
		{"unix:abstract=a%3bb%2cc%3dd,guid=01", []busAddr{{"unix", map[string]string{"abstract": "a;b,c=d", "guid": "01"}}}},
		// A key given twice keeps its first value, the one godbus dials.
		{"unix:path=/first,path=/second", []busAddr{{"unix", map[string]string{"path": "/first"}}}},
		{"unix:abstract=x,guid=01,abstract=y", []busAddr{{"unix", map[string]string{"abstract": "x", "guid": "01"}}}},
		// A value that does not unescape is empty, as godbus reads it.
		{"unix:path=%zz,path=/second", []busAddr{{"unix", map[string]string{"path": ""}}}},
		{"nonsense;;", []busAddr{{}}},
		{"", nil},
	} {
		if got := parseAddrs(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseAddrs(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestUnixOnly(t *testing.T) {
	for addr, transport := range map[string]string{
		"tcp:host=127.0.0.1,port=4000":                          "tcp",
		"nonce-tcp:host=127.0.0.1,port=4000,noncefile=/tmp/n":   "nonce-tcp",
		"unix:path=/gone;tcp:host=127.0.0.1,port=4000":          "tcp",
		"unix:path=/a;unix:abstract=b;nonce-tcp:host=localhost": "nonce-tcp",
		"unixexec:path=/usr/bin/ssh":                            "unixexec",
		"no-transport-here;unix:path=/a":                        "",
		"unix:path=/a;unix:abstract=b":                          "-",
		"unix:path=/run/user/1000/bus,guid=0123":                "-",
	} {
		err := unixOnly(addr)
		if transport == "-" {
			if err != nil {
				t.Errorf("unixOnly(%q) = %v, want nil", addr, err)
			}
			continue
		}
		te, ok := err.(*TransportError)
		if !ok || te.Transport != transport || te.Addr != addr || !IsTransport(err) || !IsRefused(err) || IsForeign(err) {
			t.Errorf("unixOnly(%q) = %v, want a *TransportError for %q", addr, err, transport)
		}
	}
}
