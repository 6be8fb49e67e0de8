package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestCleanPastedKey(t *testing.T) {
	t.Parallel()
	const key = "abc+/DEF=09"
	tests := []struct {
		name, in, want string
		bad            bool
	}{
		{name: "plain", in: key, want: key},
		{name: "Windows editor: BOM and CRLF", in: "\ufeff" + key + "\r\n", want: key},
		{name: "spaces and tabs", in: " \t" + key + " ", want: key},
		{name: "no-break spaces", in: "\u00a0" + key + "\u00a0", want: key},
		{name: "zero-width at the ends", in: "\u200b" + key + "\u200d\u2060", want: key},
		{name: "prefixed key", in: "anytype_" + strings.Repeat("a", 48) + "_0123abcd\n", want: "anytype_" + strings.Repeat("a", 48) + "_0123abcd"},
		{name: "only invisible", in: "\ufeff \u200b\r\n", want: ""},
		{name: "zero-width inside", in: "abc\u200bdef", bad: true},
		{name: "space inside", in: "abc def", bad: true},
		{name: "smart quote inside", in: "abc\u2019def", bad: true},
		{name: "tab inside", in: "abc\tdef", bad: true},
		{name: "invalid UTF-8 inside", in: "abc\xffdef", bad: true},
		{name: "NUL inside", in: "abc\x00def", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CleanPastedKey(tt.in)
			if tt.bad {
				if !errors.Is(err, ErrKeyCharacters) || got != "" {
					t.Fatalf("= %q, %v; want ErrKeyCharacters", got, err)
				}
				if strings.Contains(err.Error(), "abc") || strings.Contains(err.Error(), "def") {
					t.Errorf("error shows the key: %v", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("= %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
