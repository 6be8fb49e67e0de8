package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// completionWorld is a PATH holding the real anykey binary and a config
// dir whose keys.json names two keys. There is no session bus: completion
// must not need one.
func completionWorld(t *testing.T) []string {
	t.Helper()
	bin := filepath.Dir(anykeyBinary(t))
	cfg := t.TempDir()
	idx := `{"version":1,"keys":[{"name":"work","api_url":"http://127.0.0.1:31009","created_at":"2026-01-01T00:00:00Z"},` +
		`{"name":"home lab","api_url":"http://127.0.0.1:31009","created_at":"2026-01-01T00:00:00Z"},` +
		// A name a shell would run if it expanded the candidates.
		`{"name":"$(echo pwned)","api_url":"http://127.0.0.1:31009","created_at":"2026-01-01T00:00:00Z"},` +
		// A name fish would expand to a home directory if it inserted it
		// as it is, and a hand-edited one with a TAB (against the naming
		// rules) that a shell would offer cut short as "tab".
		`{"name":"~root","api_url":"http://127.0.0.1:31009","created_at":"2026-01-01T00:00:00Z"},` +
		`{"name":"tab\tcut","api_url":"http://127.0.0.1:31009","created_at":"2026-01-01T00:00:00Z"},` +
		// Names that need quoting on the line: a quote, a backslash, and
		// one that a shell runs as a command if it reads the word again
		// unquoted (fish: (…) is a command substitution).
		`{"name":"it's","api_url":"http://127.0.0.1:31009","created_at":"2026-01-01T00:00:00Z"},` +
		`{"name":"back\\slash","api_url":"http://127.0.0.1:31009","created_at":"2026-01-01T00:00:00Z"},` +
		`{"name":"tea:time=now","api_url":"http://127.0.0.1:31009","created_at":"2026-01-01T00:00:00Z"},` +
		`{"name":"zz (touch ran-by-completion)","api_url":"http://127.0.0.1:31009","created_at":"2026-01-01T00:00:00Z"}]}`
	if err := os.WriteFile(filepath.Join(cfg, "keys.json"), []byte(idx), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"PATH=" + bin + ":/usr/bin:/bin", "HOME=" + t.TempDir(), "ANYKEY_CONFIG_DIR=" + cfg,
		"DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent"}
}

func needShell(t *testing.T, sh string) {
	t.Helper()
	if _, err := exec.LookPath(sh); err != nil {
		if desktoptest.InCI() {
			t.Fatalf("%s is not installed: scripts/install-test-deps.sh installs it", sh)
		}
		t.Skipf("no %s here", sh)
	}
}

// completionCases: the command line typed so far (the last word is being
// completed) and candidates that must (and must not) be offered.
var completionCases = []struct {
	line     string
	want     []string
	wantNone []string
}{
	{"anykey ", []string{"pair", "mcp", "completion", "exec"}, []string{"work"}},
	{"anykey ge", []string{"get"}, []string{"pair"}},
	// fish escapes what it inserts except a leading ~ (so that ~user
	// completes): "~root" would run as /root (fish 3.6, typed and checked
	// on a terminal), so no shell is offered it.
	{"anykey get ", []string{"work", "home lab", "$(echo pwned)"}, []string{"pair", "pwned", "tab", "tab\tcut", "cut", "~root", `\~root`}},
	{"anykey mcp ", []string{"work", "serve"}, nil},
	{"anykey mcp serve work --tier ", []string{"small", "large", "full"}, nil},
	{"anykey help ", []string{"pair", "exec", "doctor"}, []string{"work"}},
	{"anykey set-url ", []string{"work"}, nil},
	{"anykey --api-url http://127.0.0.1:31012 rm w", []string{"work"}, nil},
	{"anykey mcp work --client ", []string{"claude-desktop", "vscode", "codex", "lm-studio"}, []string{"work"}},
	{"anykey mcp work --install cu", []string{"cursor"}, nil},
	{"anykey mcp work --", []string{"--client", "--install", "--uninstall", "--inline", "--clients"}, nil},
	{"anykey env work --shell ", []string{"sh", "fish", "powershell"}, nil},
	{"anykey autostart ", []string{"on", "off", "status"}, nil},
	{"anykey completion ", []string{"bash", "zsh", "fish", "powershell"}, nil},
	{"anykey exec --", []string{"--mask"}, []string{"--api-url"}},
	// exec reads no flag after NAME: the words there are the command
	// (exec work --mask -- ls runs "--mask").
	{"anykey exec work --m", nil, []string{"--mask"}},
	{"anykey exec work --a", nil, []string{"--api-url"}},
	{"anykey exec --mask work --", nil, []string{"--mask", "--api-url"}},
	{"anykey exec work -- ech", []string{"echo"}, []string{"work"}},
	{"anykey exec --mask work -- ech", []string{"echo"}, []string{"work"}},
	{"anykey exec -- ", []string{"work"}, []string{"echo"}},
	{"anykey exec -- work -- ech", []string{"echo"}, []string{"work"}},
	{"anykey exec work ", nil, []string{"work", "echo"}},
}

// quotedCases are lines whose words are quoted as a user types them (or
// hold characters a shell splits words at): a
// name completed earlier (escaped by the shell as it inserted it) before
// the word being completed, or a word being completed that opens a quote
// or escapes a character. The shell must read each word as the user
// meant it, and never run one: completing after the inserted
// zz\ \(touch\ ran-by-completion\) must not create that file.
var quotedCases = []struct {
	line     string
	want     []string
	wantNone []string
}{
	{`anykey exec home\ lab -- ech`, []string{"echo"}, nil},
	{`anykey exec 'home lab' -- ech`, []string{"echo"}, nil},
	{`anykey exec it\'s -- ech`, []string{"echo"}, nil},
	{`anykey exec zz\ \(touch\ ran-by-completion\) -- ech`, []string{"echo"}, nil},
	{`anykey mcp it\'s --client cu`, []string{"cursor"}, nil},
	{`anykey get 'ho`, []string{"home lab"}, nil},
	{`anykey get "it`, []string{"it's"}, nil},
	{`anykey get it\'`, []string{"it's"}, nil},
	{`anykey get home\ `, []string{"home lab"}, nil},
	{`anykey get ba`, []string{`back\slash`}, []string{"backslash"}},
	// bash splits words at : and = too (COMP_WORDBREAKS).
	{`anykey get tea:`, []string{"tea:time=now"}, nil},
	{`anykey get tea:time=`, []string{"tea:time=now"}, nil},
}

// checkNothingRan fails if completing a quotedCases line ran a word as
// a command in dir, the shell's working directory.
func checkNothingRan(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "ran-by-completion")); err == nil {
		t.Errorf("completing after the name %q ran it as a command", "zz (touch ran-by-completion)")
	}
}

func checkCandidates(t *testing.T, line string, got, want, none []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%q: %q not offered (got %q)", line, w, got)
		}
	}
	for _, w := range none {
		if slices.Contains(got, w) {
			t.Errorf("%q: %q offered", line, w)
		}
	}
}

// TestCompletionBash runs cobra's script in real bash, with
// bash-completion loaded as a bash user has it, COMP_* set as readline sets
// them for a TAB.
func TestCompletionBash(t *testing.T) {
	t.Parallel()
	needShell(t, "bash")
	const bashCompletion = "/usr/share/bash-completion/bash_completion"
	if _, err := os.Stat(bashCompletion); err != nil {
		if desktoptest.InCI() {
			t.Fatalf("bash-completion is not installed: scripts/install-test-deps.sh installs it")
		}
		t.Skip("no bash-completion here")
	}
	env := completionWorld(t)
	cases := append(completionCases[:len(completionCases):len(completionCases)],
		// One candidate is inserted, quoted for the line.
		struct {
			line     string
			want     []string
			wantNone []string
		}{"anykey get h", []string{`home\ lab`}, nil})
	for _, tc := range cases {
		words := strings.Split(tc.line, " ")
		script := `source ` + bashCompletion + ` || exit 1
source <(anykey completion bash) || exit 1
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9
__start_anykey 2>/dev/null
printf '%s\n' "${COMPREPLY[@]}"`
		cmd := exec.Command("bash", append([]string{"-c", script, "bash"}, words...)...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%q: %v", tc.line, err)
		}
		got := strings.Split(strings.TrimSpace(string(out)), "\n")
		checkCandidates(t, tc.line, got, tc.want, tc.wantNone)
	}
}

// zshCapture drives an interactive zsh on a pseudo-terminal (zsh/zpty),
// as a user's: compinit, cobra's script sourced, then each line typed and
// TAB pressed. The completion system's compadd is wrapped to record the
// candidates it is given that match what was typed (compadd -A), written
// as zsh would insert them, one file per line in $1; TAB is bound to a
// widget that completes and then marks that it is done.
const zshCapture = `zmodload zsh/zpty || exit 1
dir=$1; shift
zpty z zsh -f -i || exit 1
expect() { local buf; zpty -r -m z buf "*%%> *" >/dev/null || exit 1 }
zpty -w z 'PROMPT="%%%%> "'
expect
for l in 'autoload -Uz compinit && compinit -u -D' 'source <(anykey completion zsh) || exit 1' \
	'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; local -a __hits; builtin compadd -A __hits "$@"; (( $#__hits )) && print -rl -- $__hits >> $OUT; builtin compadd "$@"; }' \
	'complete-and-mark() { zle complete-word; print -r done > $OUT.tab }; zle -N complete-and-mark; bindkey "^I" complete-and-mark' \
	"zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no; LISTMAX=10000"; do
	zpty -w z "$l"
	expect
done
i=0
local chunk
for line; do
	i=$((i + 1))
	zpty -w z "OUT=$dir/$i; : > \$OUT"
	expect
	zpty -w -n z "$line"$'\t'
	for t in {1..300}; do
		while zpty -r -t z chunk 2>/dev/null; do :; done
		[[ -e $dir/$i.tab ]] && break
		sleep 0.1
	done
	[[ -e $dir/$i.tab ]] || { print -r "zsh: no completion for: $line" >&2; exit 1 }
	zpty -w -n z $'\C-e\C-u'
done
zpty -d z`

// TestCompletionZsh completes each line in real zsh, interactive on a
// pseudo-terminal with the completion system loaded, as a user has it.
func TestCompletionZsh(t *testing.T) {
	t.Parallel()
	needShell(t, "zsh")
	env := append(completionWorld(t), "TERM=dumb")
	dir, run := t.TempDir(), t.TempDir()
	cases := append(completionCases, quotedCases...)
	var lines []string
	for _, tc := range cases {
		lines = append(lines, tc.line)
	}
	// A zsh that stops answering (expect reads without a deadline) is
	// killed rather than left to the test binary's timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "zsh", append([]string{"-f", "-c", zshCapture, "zsh", dir}, lines...)...)
	cmd.Env = env
	cmd.Dir = run
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("zsh: %v\n%s", err, out)
	}
	checkNothingRan(t, run)
	for i, tc := range cases {
		out, err := os.ReadFile(filepath.Join(dir, strconv.Itoa(i+1)))
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Split(strings.TrimSpace(string(out)), "\n")
		// zsh inserts a candidate quoted for the line.
		if tc.line == "anykey get " && !slices.Contains(got, `home\ lab`) {
			t.Errorf("%q: 'home lab' not offered quoted: %q", tc.line, got)
		}
		for i, c := range got {
			got[i] = zshUnquote(c)
		}
		checkCandidates(t, tc.line, got, tc.want, tc.wantNone)
	}
}

// zshUnquote undoes the backslashes zsh quotes a candidate with for the
// line (home\ lab, back\\slash).
func zshUnquote(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestCompletionFish asks real fish, whose `complete -C` completes a
// command line without a terminal.
func TestCompletionFish(t *testing.T) {
	t.Parallel()
	needShell(t, "fish")
	env := completionWorld(t)
	run := t.TempDir()
	for _, tc := range append(completionCases, quotedCases...) {
		cmd := exec.Command("fish", "--no-config", "-c", `anykey completion fish | source; complete -C "$argv[1]"`, tc.line)
		cmd.Env = env
		cmd.Dir = run
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%q: %v", tc.line, err)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			cand, _, _ := strings.Cut(l, "\t") // fish appends a description
			got = append(got, cand)
		}
		checkCandidates(t, tc.line, got, tc.want, tc.wantNone)
	}
	checkNothingRan(t, run)
}

func TestCompletionUsage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fakeanytype.Config{})
	if r := h.run(nil, "completion", "tcsh"); r.code != 2 || !strings.Contains(r.stderr, "unknown shell") {
		t.Errorf("tcsh: %+v", r)
	}
	// What is missing is a shell, not a key NAME.
	if r := h.run(nil, "completion"); r.code != 2 || !strings.Contains(r.stderr, "anykey: completion: missing SHELL (bash, zsh, fish, powershell)\n") {
		t.Errorf("no shell: %+v", r)
	}
	r := h.run(nil, "completion", "powershell")
	if r.code != 0 || !strings.Contains(r.stdout, "Register-ArgumentCompleter") || !strings.Contains(r.stdout, "__complete") {
		t.Errorf("powershell: %d %s", r.code, r.stderr)
	}
}

// TestCompletionScriptFixes: every line scriptFixes replaces is in
// cobra's script, once, so that a cobra upgrade that changes one fails
// here rather than in a user's shell.
func TestCompletionScriptFixes(t *testing.T) {
	t.Parallel()
	for _, sh := range completionShells {
		script, err := completionScript(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range scriptFixes[sh] {
			if !strings.Contains(script, f.new) {
				t.Errorf("%s: fix not applied: %q", sh, f.new)
			}
		}
	}
}

// failingWriter is a stdout that refuses every write (a full disk).
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestCompletionScriptWriteFails: a script that could not be written (to
// a full disk, a closed pipe) is a failure, not a half-written success.
func TestCompletionScriptWriteFails(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fakeanytype.Config{})
	for _, sh := range completionShells {
		var errb bytes.Buffer
		code := run(t.Context(), h.deps, []string{"completion", sh}, strings.NewReader(""), failingWriter{}, &errb, func(string) string { return "" })
		if code != exitFailure || !strings.Contains(errb.String(), "no space left on device") {
			t.Errorf("completion %s to a full disk: exit %d, %q", sh, code, errb.String())
		}
	}
}
