package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// A usage error prints one line naming the problem and one pointing at
// help, like git and go do, rather than the whole usage text: the problem
// stays visible at the bottom of the terminal.

// usageError reports a usage problem of the current command and returns 2.
func (c *cli) usageError(msg string) int {
	c.say("%s", msg)
	if c.cmd != "" && findCommand(definition().root, c.cmd) != nil {
		c.hint("anykey help %s shows its usage", c.cmd)
	} else {
		c.hint("anykey help lists the commands")
	}
	return exitUsage
}

// unknownCommand reports a command that does not exist, with the nearest
// real one when the mistake looks like a typo.
func (c *cli) unknownCommand(cmd string) int {
	fmt.Fprintf(c.stderr, "anykey: unknown command %q\n", cmd)
	if s := suggest(cmd); s != "" {
		fmt.Fprintf(c.stderr, "anykey: did you mean %q?\n", s)
	}
	c.hint("anykey help lists the commands")
	return exitUsage
}

// cmdHelp prints the whole usage, or one command's with `help COMMAND`.
func (c *cli) cmdHelp(args []string) int {
	switch {
	case len(args) == 0:
		fmt.Fprint(c.stdout, usageText(commandTree()))
		return exitOK
	case len(args) > 1:
		return c.usageError("help: expected at most one COMMAND")
	case lookupCommand(definition().root, args[0]) == nil:
		return c.unknownCommand(args[0])
	}
	c.commandHelp(args[0])
	return exitOK
}

// usageText is `anykey help`: the synopsis, one line for each form of each
// command, and the notes that concern several commands.
// scripts/check-dist.sh reads the command names from its Commands section.
func usageText(root *cobra.Command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n\nCommands:\n", root.Use)
	for _, cmd := range root.Commands() {
		if !cmd.IsAvailableCommand() && cmd.Name() != "help" {
			continue
		}
		for _, f := range commandForms(cmd) {
			syn, desc, _ := strings.Cut(f, "\t")
			switch {
			case desc == "":
				fmt.Fprintf(&b, "  %s\n", syn)
			case len(syn) <= 19:
				fmt.Fprintf(&b, "  %-22s%s\n", syn, desc)
			default:
				fmt.Fprintf(&b, "  %s   %s\n", syn, desc)
			}
		}
	}
	fmt.Fprintf(&b, "\nVariables set by env and exec:\n%s\n\n%s\n", indent(helpVariables), helpAPIURL)
	return b.String()
}

// commandForms are cmd's synopses, each "SYNOPSIS\tdescription", the
// path from the root's child down: Use, the further forms of annForms,
// then those of its subcommands.
func commandForms(cmd *cobra.Command) []string {
	path := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	path = strings.TrimSuffix(path, cmd.Name())
	out := []string{path + cmd.Use + "\t" + cmd.Short}
	if f := cmd.Annotations[annForms]; f != "" {
		out = append(out, strings.Split(f, "\n")...)
	}
	for _, sub := range cmd.Commands() {
		if sub.IsAvailableCommand() {
			out = append(out, commandForms(sub)...)
		}
	}
	return out
}

// findCommand finds a command by its path under the root ("pair", "ls",
// "mcp serve"), nil if there is none.
func findCommand(root *cobra.Command, path string) *cobra.Command {
	cmd := root
	for _, name := range strings.Fields(path) {
		if cmd = lookupCommand(cmd, name); cmd == nil {
			return nil
		}
	}
	if cmd == root {
		return nil
	}
	return cmd
}

// commandHelp prints one command's usage on stdout: its synopses, what it
// does (Long, which begins with what Short says), its flags, and the API URL notes where it talks to Anytype. name
// is its path ("pair", "mcp serve").
func (c *cli) commandHelp(name string) {
	cmd := findCommand(commandTree(), name)
	if cmd == nil {
		return
	}
	prefix := "Usage:"
	for _, f := range commandForms(cmd) {
		syn, _, _ := strings.Cut(f, "\t")
		fmt.Fprintf(c.stdout, "%s anykey [--api-url URL] %s\n", prefix, syn)
		prefix = "   or:"
	}
	if about := cmd.Long; about != "" {
		fmt.Fprintf(c.stdout, "\n%s\n", about)
	} else if cmd.Short != "" {
		fmt.Fprintf(c.stdout, "\n%s\n", cmd.Short)
	}
	if fs := ownFlags(cmd); fs.HasAvailableFlags() {
		fmt.Fprintf(c.stdout, "\nFlags:\n%s", flagUsages(fs))
	}
	if cmd.Annotations[annAPIURL] != "" {
		fmt.Fprintf(c.stdout, "\n%s\n", helpAPIURL)
	}
}

// flagUsages lists fs's flags, one a line: "--NAME VALUE", what it does,
// and its default when it has one.
func flagUsages(fs *pflag.FlagSet) string {
	var left, right []string
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		l := "--" + f.Name
		if v := f.Annotations[annValue]; len(v) > 0 {
			l += " " + v[0]
		}
		r := f.Usage
		if f.Value.Type() != "bool" && f.DefValue != "" {
			r += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		left, right = append(left, l), append(right, r)
		width = max(width, len(l))
	})
	var b strings.Builder
	for i := range left {
		fmt.Fprintf(&b, "  %-*s   %s\n", width, left[i], right[i])
	}
	return b.String()
}

// ownFlags are cmd's flags, without the global --api-url and --help.
func ownFlags(cmd *cobra.Command) *pflag.FlagSet {
	fs := pflag.NewFlagSet(cmd.Name(), pflag.ContinueOnError)
	cmd.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
		if f.Name != "help" {
			fs.AddFlag(f)
		}
	})
	return fs
}

// suggest returns the command nearest to s when it is a plausible typo:
// one edit away (two for words longer than 4 letters; a swap of two
// letters counts as one), or a prefix of exactly one command.
func suggest(s string) string {
	var names []string
	for _, cmd := range definition().root.Commands() {
		names = append(names, cmd.Name())
		names = append(names, cmd.Aliases...)
	}
	slices.Sort(names)
	maxD := 1
	if len(s) > 4 {
		maxD = 2
	}
	best, bestD := "", maxD+1
	for _, n := range names {
		if d := editDistance(strings.ToLower(s), n); d < bestD {
			best, bestD = n, d
		}
	}
	if best != "" {
		return best
	}
	var prefixed []string
	for _, n := range names {
		if len(s) >= 2 && strings.HasPrefix(n, strings.ToLower(s)) {
			prefixed = append(prefixed, n)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return ""
}

// editDistance is the optimal string alignment distance between a and b
// (Levenshtein plus transpositions of neighbours), over runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
