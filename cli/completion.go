package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/anykey-app/anykey/keystore"
	"github.com/spf13/cobra"
)

// Completion scripts are cobra's, made from the command tree
// (commands.go): each asks `anykey __complete WORDS…` for its candidates,
// so key names, flags and their values are completed by the same
// definition the usage text and the man page come from.

// cmdCompletion prints a completion script. `completion --keys` prints the
// saved key names, one a line, for the scripts of anykey 0.x, which
// asked for them that way and may still be installed.
func (c *cli) cmdCompletion(args []string) int {
	if len(args) == 1 && args[0] == "--keys" {
		for _, n := range keyNames("") {
			fmt.Fprintln(c.stdout, n)
		}
		return exitOK
	}
	pos, err := c.flags(newFlags("completion"), args, 0, 1)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) == 0 {
		return c.usageError("completion: missing SHELL (" + strings.Join(completionShells, ", ") + ")")
	}
	script, err := completionScript(pos[0])
	switch {
	case errors.Is(err, errUnknownShell):
		return c.usageError(fmt.Sprintf("completion: unknown shell %q (%s)", pos[0], strings.Join(completionShells, ", ")))
	case err != nil:
		return c.fail(err, where{})
	}
	if _, err := io.WriteString(c.stdout, script); err != nil {
		return c.fail(err, where{})
	}
	return exitOK
}

var errUnknownShell = errors.New("unknown shell")

// completionScript is cobra's completion script for shell, with
// scriptFixes applied.
func completionScript(shell string) (string, error) {
	root := commandTree()
	var b strings.Builder
	var err error
	switch shell {
	case "bash":
		err = root.GenBashCompletionV2(&b, true)
	case "zsh":
		err = root.GenZshCompletion(&b)
	case "fish":
		err = root.GenFishCompletion(&b, true)
	case "powershell", "pwsh":
		err = root.GenPowerShellCompletionWithDesc(&b)
	default:
		return "", errUnknownShell
	}
	if err != nil {
		return "", err
	}
	script := b.String()
	for _, f := range scriptFixes[shell] {
		if strings.Count(script, f.old) != 1 {
			// cobra's script changed: TestCompletionScriptFixes fails.
			return "", fmt.Errorf("completion %s: the line to fix is not in cobra's script once: %q", shell, f.old)
		}
		script = strings.Replace(script, f.old, f.new, 1)
	}
	return script, nil
}

// scriptFixes are lines of cobra's (v1.10.2) completion scripts replaced
// so that the words on the line reach anykey __complete as the user typed
// them, quoted, and no word is ever run. Each old line must be in the
// script exactly once. The real shells check them with quotedCases:
// TestCompletionBashReadline, TestCompletionZsh and TestCompletionFish.
var scriptFixes = map[string][]struct{ old, new string }{
	"fish": {
		// commandline -opc gives the words before the cursor unquoted, and
		// cobra's script evals them: a key name such as "work (old)",
		// inserted quoted by fish, was run as a command substitution, and a
		// name with a space became two words (spf13/cobra#2096; the fix is
		// spf13/cobra#2095's, not merged).
		{"    set -l args (commandline -opc)\n", "    set -l args (commandline -opc | string escape)\n"},
		// commandline -ct is the current word as typed, quotes and
		// backslashes included; escaping it again sent 'ho or home\ as
		// those characters, which match no name. Unquote it first.
		{"    set -l lastArg (string escape -- (commandline -ct))\n", "    set -l lastArg (string escape -- (commandline -ct | string unescape))\n"},
	},
	"bash": {
		// readline completes the part of the word after its last : or =
		// (COMP_WORDBREAKS), and the script strips what comes before it
		// from each candidate, once for : and once for =, both times by the
		// whole word: after tea:time= it stripped tea: but not time=, and
		// inserted tea:time=time=now. The = pass now looks only past the
		// last :, which the first pass already stripped.
		{"    __anykey_handle_special_char \"$cur\" =\n", "    __anykey_handle_special_char \"${cur##*:}\" =\n"},
	},
	"zsh": {
		// ${=words} splits the current word at its spaces (home\ became
		// home\ and an empty word), and eval of a word that opens a
		// quote ('ho) fails. The words before it are split and evaled as
		// cobra does; the current one is unquoted by zsh ((Q), with its
		// open quote closed) and quoted again for the eval ((q)).
		{"    words=(\"${=words[1,CURRENT]}\")\n", "    local typed=${words[CURRENT]}\n    words=(\"${=words[1,CURRENT-1]}\")\n"},
		{"    lastParam=${words[-1]}\n", "    lastParam=$typed\n"},
		{"    requestComp=\"${words[1]} __complete ${words[2,-1]}\"\n", "    requestComp=\"${words[1]} __complete ${words[2,-1]}\"\n" +
			"    if [ -n \"$typed\" ]; then\n        typed+=${compstate[quote]}\n        requestComp=\"${requestComp} ${(q)${(Q)typed}}\"\n    fi\n"},
		// _describe reads a backslash in a candidate as quoting the next
		// character (it is how a colon is kept), so back\slash was offered
		// as backslash: double it as cobra escapes the colon.
		{"            comp=${comp//:/\\\\:}\n", "            comp=${comp//\\\\/\\\\\\\\}\n            comp=${comp//:/\\\\:}\n"},
	},
}

// isCompletionRequest reports whether args (without the program name) are
// a completion script's request for candidates. A request always holds
// the words typed, at least the empty one being completed; a bare
// __complete is left to the dispatch, which names it an unknown command.
func isCompletionRequest(args []string) bool {
	return len(args) > 1 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd)
}

// complete answers a completion request: cobra reads the words typed so
// far against the command tree and prints the candidates and a directive
// for the script. Nothing is run and the keychain is not asked.
func (c *cli) complete(args []string) int {
	root := commandTree()
	if ex := lookupCommand(root, "exec"); ex != nil && requestedCommand(args[1:]) == "exec" {
		// exec reads --mask only before NAME, --api-url only before exec,
		// and no flag after NAME, where the words are the command (exec
		// work --mask -- ls runs "--mask"). cobra completes a command's
		// flags, and the root's, wherever a word starts with "-", and
		// then still asks completeExec: exec's flags are taken from this
		// tree, for this request, and completeExec offers what exec reads.
		ex.ResetFlags()
		ex.Flags().BoolP("help", "h", false, "")
		_ = ex.Flags().MarkHidden("help")
		_ = root.PersistentFlags().MarkHidden("api-url")
		ex.DisableFlagParsing = true
	}
	root.SetArgs(args)
	root.SetIn(c.stdin)
	root.SetOut(c.stdout)
	root.SetErr(c.stderr)
	root.SilenceErrors = true
	root.SilenceUsage = true
	ctx := context.WithValue(c.ctx, completionWordsKey{}, args[1:])
	if err := root.ExecuteContext(ctx); err != nil {
		return exitFailure
	}
	return exitOK
}

// requestedCommand is the command a completion request's words are for:
// the first word that is not a global flag (--api-url URL) or its value.
func requestedCommand(words []string) string {
	for i := 0; i < len(words)-1; i++ { // the last word is being completed
		switch w := words[i]; {
		case w == "--api-url" || w == "-api-url":
			i++
		case strings.HasPrefix(w, "-"):
		default:
			return w
		}
	}
	return ""
}

// fixed registers the values flag name of cmd completes to; nil means a
// value the shell should not complete (no file names either).
func fixed(cmd *cobra.Command, name string, values []string) {
	_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// valueFlag adds to cmd the flag --name VALUE, with its default, its
// usage, and the values it completes to (nil: none, and no file names).
func valueFlag(cmd *cobra.Command, name, value, def, usage string, values []string) {
	cmd.Flags().String(name, def, usage)
	_ = cmd.Flags().SetAnnotation(name, annValue, []string{value})
	fixed(cmd, name, values)
}

// keyArg makes cmd's first argument complete to the saved key names.
func keyArg(cmd *cobra.Command) {
	cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return keyNames(toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// keyNames are the saved key names starting with prefix, read from
// keys.json alone: completion never asks the keychain and never sees a
// secret. keys.json may be edited by hand: a name that breaks the naming
// rules is never offered, and one with a TAB or a line break would reach
// the shell cut in two (fish reads a TAB as the start of a description).
// A name starting with ~ is left out too: fish escapes what it inserts
// except a leading ~ (so that ~user completes), so ~root would become
// /root on the line, and the completion request does not say which shell
// asks.
func keyNames(prefix string) []string {
	dir, err := keystore.DefaultDir()
	if err != nil {
		return nil
	}
	names, err := keystore.IndexNames(dir)
	if err != nil {
		return nil
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		if keystore.ValidateName(n) == nil && !strings.HasPrefix(n, "~") && strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out
}

// completionWordsKey is the context key under which complete hands the completion
// functions the words typed after anykey, as typed.
type completionWordsKey struct{}

// completeExec completes exec's words, [--] NAME -- CMD [ARGS...] (see
// execArgs): NAME to the saved key names, then after "--" the command to
// run (from $PATH), then that command's arguments as files.
//
// The words are read as typed, not from args and cmd.ArgsLenAtDash:
// cobra parses the flags twice while completing, the first time with a
// "--" added, and pflag does not reset ArgsLenAtDash between the two, so
// "exec work " looked like "exec work -- " (spf13/cobra#1877).
func completeExec(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	typed, _ := cmd.Context().Value(completionWordsKey{}).([]string)
	// typed is "exec" and its words, the last one the one being completed.
	i := slices.Index(typed, "exec")
	if i < 0 || len(typed) == 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var words []string
	for _, w := range typed[i+1 : len(typed)-1] {
		if len(words) == 0 && w == "--mask" {
			continue
		}
		words = append(words, w)
	}
	if len(words) > 0 && words[0] == "--" {
		words = words[1:] // the one before a NAME that starts with "-"
	}
	switch {
	case len(words) == 0 && strings.HasPrefix(toComplete, "-"):
		// Before NAME: --mask (once), and the -- before a NAME that
		// starts with "-".
		var out []cobra.Completion
		if !slices.Contains(typed[i+1:len(typed)-1], "--mask") && strings.HasPrefix("--mask", toComplete) {
			out = append(out, cobra.CompletionWithDesc("--mask", "mask the key in CMD's standard error"))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	case len(words) == 0:
		return keyNames(toComplete), cobra.ShellCompDirectiveNoFileComp
	case len(words) == 1 || words[1] != "--":
		return nil, cobra.ShellCompDirectiveNoFileComp
	case len(words) == 2:
		return pathCommands(toComplete), cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveDefault
}

// pathCommands are the executables in $PATH whose names start with prefix.
func pathCommands(prefix string) []string {
	var out []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if !strings.HasPrefix(e.Name(), prefix) || e.IsDir() {
				continue
			}
			if info, err := e.Info(); err == nil && (info.Mode()&0o111 != 0 || filepath.Ext(e.Name()) == ".exe") {
				out = append(out, e.Name())
			}
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}
