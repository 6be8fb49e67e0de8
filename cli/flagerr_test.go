package cli

import (
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"strings"
	"testing"
)

// TestFlagErrorsSpeakAnykeysWords: no message of Go's flag package reaches
// the user; each names the command and the flag as the usage writes it.
func TestFlagErrorsSpeakAnykeysWords(t *testing.T) {
	h := newHarness(t, fakeanytype.Config{})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"pair", "a", "--forse"}, "anykey: pair: unknown flag --forse (did you mean --force?)\n"},
		{[]string{"list", "-jsn"}, "anykey: list: unknown flag --jsn (did you mean --json?)\n"},
		{[]string{"get", "a", "--force"}, "anykey: get: unknown flag --force (get takes none)\n"},
		{[]string{"add", "a", "--zzzzzz"}, "anykey: add: unknown flag --zzzzzz\n"},
		{[]string{"env", "a", "--shell"}, "anykey: env: --shell needs a value (--shell VALUE or --shell=VALUE)\n"},
		{[]string{"list", "--json=maybe"}, "anykey: list: --json takes no value (got \"maybe\"); leave it out for false\n"},
		{[]string{"list", "---json"}, "anykey: list: \"---json\" is not a flag (flags are --NAME or --NAME=VALUE)\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := h.run(nil, tc.args...)
			if r.code != 2 || !strings.HasPrefix(r.stderr, tc.want) || !strings.Contains(r.stderr, "anykey: hint: anykey help "+tc.args[0]) {
				t.Errorf("exit %d, stderr %q; want 2 and %q then the help hint", r.code, r.stderr, tc.want)
			}
			for _, goWords := range []string{"flag provided but not defined", "flag needs an argument", "invalid boolean value", "bad flag syntax", "parse error"} {
				if strings.Contains(r.stderr, goWords) {
					t.Errorf("stderr has Go's words %q: %q", goWords, r.stderr)
				}
			}
		})
	}
}
