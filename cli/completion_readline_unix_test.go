//go:build unix

package cli

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/creack/pty"
)

// TestCompletionBashReadline types each of quotedCases into an interactive
// bash on a pseudo-terminal, as a user does: readline splits the line into
// words (quotes, backslashes, COMP_WORDBREAKS), bash-completion and cobra's
// script complete the last one on one TAB, and the line then runs as
// printf's arguments, so the test reads the words as bash parsed them.
// TestCompletionBash sets COMP_WORDS by hand and cannot see how readline
// splits a quoted word.
//
// A word that opens a quote ('ho) is not completed in bash: cobra's script
// compares the word as typed, quote included, with the names it escaped
// (anykey 0.x's hand-written script did not complete it either). Those
// lines are left out here; zsh and fish complete them.
func TestCompletionBashReadline(t *testing.T) {
	t.Parallel()
	needShell(t, "bash")
	const bashCompletion = "/usr/share/bash-completion/bash_completion"
	if _, err := os.Stat(bashCompletion); err != nil {
		if desktoptest.InCI() {
			t.Fatalf("bash-completion is not installed: scripts/install-test-deps.sh installs it")
		}
		t.Skip("no bash-completion here")
	}
	run := t.TempDir()
	cmd := exec.Command("bash", "--norc", "--noprofile", "-i")
	cmd.Env = append(completionWorld(t), "TERM=dumb", "PS1=PROMPT> ", "INPUTRC=/dev/null")
	cmd.Dir = run
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 400})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		f.Close()
	}()
	var out bytes.Buffer
	got := make(chan []byte)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			if n > 0 {
				got <- append([]byte(nil), buf[:n]...)
			}
			if err != nil {
				close(got)
				return
			}
		}
	}()
	// until reads the terminal until re matches what was read since the
	// last call, or fails the test after 20 s.
	until := func(what string, re *regexp.Regexp) string {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for !re.Match(out.Bytes()) {
			select {
			case b, ok := <-got:
				if !ok {
					t.Fatalf("bash ended waiting for %s:\n%s", what, out.String())
				}
				out.Write(b)
			case <-deadline:
				t.Fatalf("no %s from bash:\n%q", what, out.String())
			}
		}
		s := out.String()
		out.Reset()
		return s
	}
	send := func(s string) {
		if _, err := f.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	send("bind 'set bell-style none'; source " + bashCompletion + " && source <(anykey completion bash) && echo READY\n")
	until("the script loaded", regexp.MustCompile(`(?m)^READY\r?$`))
	word := regexp.MustCompile(`(?m)^W:<(.*)>\r?$`)
	for _, tc := range quotedCases {
		if last := tc.line[strings.LastIndexByte(tc.line, ' ')+1:]; strings.HasPrefix(last, "'") || strings.HasPrefix(last, `"`) {
			continue
		}
		// TAB completes the line; then Ctrl-A and printf before it,
		// Ctrl-E and a marker after it, and Enter runs it.
		send(tc.line + "\t\x01printf 'W:<%s>\\n' \x05; echo DONE\n")
		screen := until("the line's words", regexp.MustCompile(`(?m)^DONE\r?$`))
		var words []string
		for _, m := range word.FindAllStringSubmatch(screen, -1) {
			words = append(words, m[1])
		}
		if len(words) < 2 {
			t.Errorf("%q: no words ran:\n%q", tc.line, screen)
			continue
		}
		// The completed word is the last one.
		checkCandidates(t, tc.line, words[len(words)-1:], tc.want, tc.wantNone)
	}
	checkNothingRan(t, run)
}
