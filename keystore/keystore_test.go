package keystore

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/anykey-app/anykey/auth"
	"os/exec"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/zalando/go-keyring"
)

func TestValidateName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"work", true},
		{"a", true},
		{"Claude Desktop", true},
		{"n8n-prod_2", true},
		{"ключ", true},
		{"日本語のキー", true},
		{"emoji 🔑", true},
		{strings.Repeat("x", 64), true},
		{strings.Repeat("é", 64), true}, // 64 runes, 128 bytes
		{"", false},
		{strings.Repeat("x", 65), false},
		{strings.Repeat("é", 65), false},
		{" lead", false},
		{"trail ", false},
		{"a/b", false},
		{"tab\there", false},
		{"new\nline", false},
		{"nul\x00", false},
		{"del\x7f", false},
		{"nbsp\u00a0inside", false}, // not printable per unicode.IsPrint
		{"zero\u200bwidth", false},
		{"bad utf8 \xff", false},
	} {
		t.Run(fmt.Sprintf("%q", tc.name), func(t *testing.T) {
			t.Parallel()
			err := ValidateName(tc.name)
			if (err == nil) != tc.ok {
				t.Fatalf("ValidateName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidName) {
				t.Errorf("error %v does not wrap ErrInvalidName", err)
			}
		})
	}
}

func TestMapError(t *testing.T) {
	t.Parallel()
	const secret = "anytype_s3cr3t"
	for _, tc := range []struct {
		name        string
		in          error
		notFound    bool
		unavailable bool
	}{
		{"not found", keyring.ErrNotFound, true, false},
		{"too big", keyring.ErrSetDataTooBig, false, false},
		{"no provider", errors.New("The name org.freedesktop.secrets was not provided by any .service files"), false, true},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), false, true},
		{"no dbus-launch", fmt.Errorf("dbus: %w", exec.ErrNotFound), false, true},
		{"unsupported OS", keyring.ErrUnsupportedPlatform, false, true},
		{"echoes the secret", errors.New("backend said " + secret), false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := mapError("store", tc.in, secret)
			if errors.Is(err, ErrNotFound) != tc.notFound || errors.Is(err, ErrUnavailable) != tc.unavailable {
				t.Errorf("mapError(%v) = %v; want notFound=%v unavailable=%v", tc.in, err, tc.notFound, tc.unavailable)
			}
			if !tc.notFound && !errors.Is(err, tc.in) {
				t.Errorf("mapError(%v) = %v lost the cause", tc.in, err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("mapError text %q holds the secret", err)
			}
			// Callers lead with ErrUnavailable's text ("the keychain is
			// not available: …"); the error must not say it again.
			if tc.unavailable && strings.Contains(err.Error(), ErrUnavailable.Error()) {
				t.Errorf("mapError text %q repeats %q", err, ErrUnavailable)
			}
		})
	}
}

// FuzzValidateName checks ValidateName against the rules stated directly.
func FuzzValidateName(f *testing.F) {
	for _, s := range []string{"work", "", " a", "a ", "a/b", "\x00", "ключ", strings.Repeat("é", 65), "a\u200bb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := ValidateName(name)
		n := utf8.RuneCountInString(name)
		want := utf8.ValidString(name) && n >= 1 && n <= 64 && !strings.ContainsRune(name, '/') &&
			strings.TrimSpace(name) == name
		for _, r := range name {
			if !unicode.IsPrint(r) || unicode.IsControl(r) {
				want = false
			}
		}
		if (err == nil) != want {
			t.Fatalf("ValidateName(%q) = %v, rules say ok=%v", name, err, want)
		}
		if err != nil && !errors.Is(err, ErrInvalidName) {
			t.Fatalf("ValidateName(%q) = %v, not ErrInvalidName", name, err)
		}
	})
}

// FuzzParseIndex checks that parsing keys.json never panics, that a
// rejected input is always ErrCorruptIndex, and that parse∘write is stable:
// writing what was parsed and parsing it again gives the same file.
func loopbackURL(s string) bool {
	_, err := auth.ParseBaseURL(s)
	return err == nil
}

func FuzzParseIndex(f *testing.F) {
	for _, s := range []string{
		`{"version":1,"keys":[]}`,
		`{"version":1,"keys":[{"name":"work","api_url":"http://127.0.0.1:31009","created_at":"2026-05-20T10:30:00Z","api_version":"2025-11-08","grant":{"scope":"full"}}]}`,
		`{"version":1,"keys":[{"name":"b","api_url":"u","created_at":"2026-05-20T10:30:00+02:00","missing":true},{"name":"a","api_url":"u","created_at":"0001-01-01T00:00:00Z"}]}`,
		`{"version":1,"keys":[{"name":"a","grant":null}]}`,
		`{"version":2}`, `{`, `null`, ``,
		`{"version":1,"keys":[{"name":"a","api_url":"http://evil.example"},{"name":"a","api_url":"http://127.0.0.1:1"},{"name":"x\u202e","api_url":""}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := parseIndex(data)
		if err != nil {
			if !errors.Is(err, ErrCorruptIndex) {
				t.Fatalf("parseIndex error %v is not ErrCorruptIndex", err)
			}
			return
		}
		first, err := marshalIndex(es)
		if err != nil {
			// time.Time cannot encode years outside 0..9999.
			return
		}
		es2, err := parseIndex(first)
		if err != nil {
			t.Fatalf("re-parsing what was written: %v\n%s", err, first)
		}
		if len(es2) != len(es) {
			t.Fatalf("round trip changed %d entries to %d", len(es), len(es2))
		}
		for i := range es {
			// A bad name or a non-loopback api_url is always flagged.
			if es[i].Invalid == "" && (ValidateName(es[i].Name) != nil || es[i].APIURL != "" && !loopbackURL(es[i].APIURL)) {
				t.Fatalf("entry %q with api_url %q not flagged", es[i].Name, es[i].APIURL)
			}
			if es[i].Name != es2[i].Name || es2[i].Missing || !es[i].CreatedAt.Equal(es2[i].CreatedAt) {
				t.Fatalf("round trip changed entry %d: %+v -> %+v", i, es[i], es2[i])
			}
		}
		second, err := marshalIndex(es2)
		if err != nil || !bytes.Equal(first, second) {
			t.Fatalf("write∘parse not stable (%v):\n%s\n%s", err, first, second)
		}
	})
}
