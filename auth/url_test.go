package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestParseBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // "" = rejected
	}{
		{"http://127.0.0.1:31009", "http://127.0.0.1:31009"},
		{"http://127.0.0.1:31009/", "http://127.0.0.1:31009"},
		{"  http://127.0.0.1:31012 ", "http://127.0.0.1:31012"},
		{"https://localhost:8443", ""}, // Anytype serves plain http only
		{"http://LOCALHOST:31009", "http://localhost:31009"},
		{"HTTP://127.0.0.1", "http://127.0.0.1"},
		{"http://127.1.2.3:1", "http://127.1.2.3:1"},
		{"http://[::1]:31009", "http://[::1]:31009"},
		{"http://[0:0:0:0:0:0:0:1]:31009", "http://[::1]:31009"},
		{"http://127.0.0.1.evil.com", ""},
		{"http://0x7f.1", ""},
		{"http://2130706433", ""},
		{"http://127.1", ""},
		{"http://0177.0.0.1", ""},
		{"http://127.000.0.1", ""},
		{"http://127.0.0.1@evil.com", ""},
		{"http://evil.com#@127.0.0.1", ""},
		{"http://evil.com\\@127.0.0.1", ""},
		{"http://user:pw@127.0.0.1", ""},
		{"http://example.com", ""},
		{"http://10.0.0.1", ""},
		{"http://0.0.0.0:31009", ""},
		{"http://[::]:31009", ""},
		{"http://[::ffff:127.0.0.1]", ""},
		{"http://[fe80::1%25lo]", ""},
		{"http://[127.0.0.1]", ""},
		{"http://127.0.0.1%2e", ""},
		{"ftp://127.0.0.1", ""},
		{"file:///etc/passwd", ""},
		{"127.0.0.1:31009", ""},
		{"//127.0.0.1", ""},
		{"http://127.0.0.1:31009/v1", ""},
		{"http://127.0.0.1:31009?x=1", ""},
		{"http://127.0.0.1:31009?", ""},
		{"http://127.0.0.1:31009#x", ""},
		{"http://127.0.0.1:", ""},
		{"http://127.0.0.1:0", ""},
		{"http://127.0.0.1:65536", ""},
		{"http://127.0.0.1:031009", ""},
		{"http://localhost.:31009", ""},
		{"http://", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			u, err := ParseBaseURL(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("accepted as %s", u)
				}
				if strings.Contains(tt.in, "pw@") && strings.Contains(err.Error(), "pw") {
					t.Errorf("error %q echoes user info", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("rejected: %v", err)
			}
			if u.String() != tt.want {
				t.Errorf("= %s, want %s", u, tt.want)
			}
		})
	}
	if _, err := ParseBaseURL("http://example.com"); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("remote host error = %v, want ErrNotLoopback", err)
	}
}

func TestNormalizeCode(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"1234", "1234"},
		{"0007", "0007"},
		{" 0420\n", "0420"},
		{"\t9999 ", "9999"},
		{"123", ""},
		{"12345", ""},
		{"12a4", ""},
		{"-123", ""},
		{"+123", ""},
		{"١٢٣٤", "1234"}, // Arabic-Indic digits
		{"", ""},
		{"    ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := NormalizeCode(tt.in)
			if tt.want == "" {
				if !errors.Is(err, ErrInvalidCode) || got != "" {
					t.Errorf("= %q, %v, want ErrInvalidCode", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("= %q, %v, want %q", got, err, tt.want)
			}
		})
	}
}

func TestNormalizeCodeAsTyped(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1234", "1234"},
		{" 0420\r\n", "0420"},
		{"６７９２", "6792"}, // full-width, as an IME types it
		{"12 34", "1234"},
		{"12-34", "1234"},
		{"1 2 3 4", "1234"},
		{"12\u00a034", "1234"}, // no-break space
		{"12\u201334", "1234"}, // en dash
		{"\ufeff1234\u200b", "1234"},
		{"12a4", ""},
		{"12345", ""},
		{"123", ""},
		{"１２３", ""},
		{"12.34", ""},
		{"١٢٣٤", "1234"},  // Arabic-Indic digits, as an Arabic keyboard types them
		{"۰۶-۷۹", "0679"}, // Extended Arabic-Indic (Persian, Urdu), hyphenated
		{"०९८७", "0987"},  // Devanagari
		{"৫৫৫৫", "5555"},  // Bengali
		{"𝟏𝟐𝟑𝟒", "1234"},  // mathematical bold (NFKC folds these)
		{"١٢٣", ""},
		{"١٢٣٤٥", ""},
		{"Ⅻ34", ""}, // a Roman numeral is a number, not a digit
		{"", ""},
		{"    ", ""},
	}
	for _, tt := range tests {
		got, err := NormalizeCode(tt.in)
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if err != nil && !errors.Is(err, ErrInvalidCode) {
			t.Errorf("NormalizeCode(%q) error %v is not ErrInvalidCode", tt.in, err)
		}
	}
}
