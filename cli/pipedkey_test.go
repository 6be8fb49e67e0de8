package cli

import (
	"errors"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// TestAddPipedLines: add reads a piped stdin to its end. One line that is
// not blank is the key, whatever blank lines and line endings surround it
// (echo, a file's last newline, CRLF, a pasted key with its newline); two
// or more are refused with one message and a hint, the key neither saved
// nor echoed (before, every line after the first was dropped in silence).
func TestAddPipedLines(t *testing.T) {
	t.Parallel()
	const key = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI="
	h := newHarness(t, fakeanytype.Config{})
	for i, tc := range []struct {
		name, stdin string
		lines       int // 0: saved
	}{
		{"bare", key, 0},
		{"trailing newline", key + "\n", 0},
		{"CRLF", key + "\r\n", 0},
		{"blank lines around", "\n \n" + key + "\n\n\t\n", 0},
		{"two keys", key + "\n" + key + "x\n", 2},
		{"pass entry", key + "\nlogin: me\nurl: http://127.0.0.1:31009\n", 3},
		{"second line without newline", key + "\nmore", 2},
		{"blank first line, two after", "\n" + key + "\r\nmore\r\n", 2},
		// Lone CRs end lines too (a classic Mac file; the terminal's paste
		// counts them so): two keys are two lines, not a stray U+000D.
		{"CR-only line end", key + "\r", 0},
		{"CR-only lines", key + "\r" + key + "x\r", 2},
		{"CR-only, blank around", "\r\r" + key + "\r \r", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "piped" + string(rune('a'+i))
			r := h.run(strings.NewReader(tc.stdin), "add", "--no-verify", name)
			got, err := h.store.Get(t.Context(), name)
			if tc.lines == 0 {
				if r.code != 0 || err != nil || got != key {
					t.Fatalf("exit %d, saved %v (%v): %s", r.code, got == key, err, r.stderr)
				}
				return
			}
			if r.code != 1 || !errors.Is(err, keystore.ErrNotFound) {
				t.Fatalf("exit %d, lookup %v: %s", r.code, err, r.stderr)
			}
			want := "anykey: stdin holds " + string(rune('0'+tc.lines)) + " lines that are not blank, and a key is one line; nothing was saved\n" +
				"anykey: hint: pipe the key alone;"
			if !strings.HasPrefix(r.stderr, want) || strings.Count(r.stderr, "\n") != 2 {
				t.Errorf("stderr %q, want it to start %q, two lines", r.stderr, want)
			}
			if strings.Contains(r.stderr+r.stdout, key[:20]) {
				t.Errorf("the key is echoed: %q", r.stderr+r.stdout)
			}
		})
	}
}

// TestAddPipedTooMuch: more than 64 KiB piped into add is refused as what
// it is — too much input for one short line — whether or not it has line
// ends (yes KEY | anykey add NAME), and nothing is saved.
func TestAddPipedTooMuch(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fakeanytype.Config{})
	for i, stdin := range []string{
		strings.Repeat("QUJDREVGR0hJSktMTU5PUFFS\n", 3000),
		strings.Repeat("A", 70<<10),
	} {
		name := "much" + string(rune('a'+i))
		r := h.run(strings.NewReader(stdin), "add", "--no-verify", name)
		if _, err := h.store.Get(t.Context(), name); r.code != 1 || !errors.Is(err, keystore.ErrNotFound) {
			t.Fatalf("exit %d, lookup %v: %s", r.code, err, r.stderr)
		}
		want := "anykey: stopped: stdin holds more than 64 KiB, and a key is one short line; nothing was saved\nanykey: hint: pipe the key alone;"
		if !strings.HasPrefix(r.stderr, want) {
			t.Errorf("stderr %q, want it to start %q", r.stderr, want)
		}
	}
}
