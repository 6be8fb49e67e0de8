package cli

import (
	"fmt"
	"slices"
	"strings"
)

// A usage error prints one line naming the problem and one pointing at
// help, like git and go do, rather than the whole usage text: the problem
// stays visible at the bottom of the terminal.

// usageError reports a usage problem of the current command and returns 2.
func (c *cli) usageError(msg string) int {
	c.say("%s", msg)
	if c.cmd != "" && synopsis(c.cmd) != "" {
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
		fmt.Fprint(c.stdout, usage)
		return exitOK
	case len(args) > 1:
		return c.usageError("help: expected at most one COMMAND")
	case synopsis(args[0]) == "":
		return c.unknownCommand(args[0])
	}
	c.commandHelp(args[0])
	return exitOK
}

// commandHelp prints one command's usage on stdout: its line of the usage
// text, and the notes of the usage text that concern it.
func (c *cli) commandHelp(name string) {
	line := synopsis(name)
	syn, desc := line, ""
	if i := strings.Index(line, "   "); i >= 0 {
		syn, desc = line[:i], strings.TrimSpace(line[i:])
	} else if i := strings.Index(line, "  "); i >= 0 {
		syn, desc = line[:i], strings.TrimSpace(line[i:])
	}
	fmt.Fprintf(c.stdout, "Usage: anykey [--api-url URL] %s\n", syn)
	if desc != "" {
		fmt.Fprintf(c.stdout, "\n%s\n", desc)
	}
	// The sections after the command list apply to some commands only.
	if _, notes, ok := strings.Cut(usage, "\nVariables set by env and exec:"); ok {
		vars, rest, _ := strings.Cut(notes, "\n\n")
		if name == "env" || name == "exec" {
			fmt.Fprintf(c.stdout, "\nVariables set:%s\n", vars)
		}
		if commandUsesAPIURL(name) {
			fmt.Fprintf(c.stdout, "\n%s", rest)
		}
	}
}

// commandUsesAPIURL reports whether name talks to Anytype or hands out a URL.
func commandUsesAPIURL(name string) bool {
	switch name {
	case "pair", "rotate", "add", "env", "exec", "mcp", "verify", "copy", "set-url", "tray":
		return true
	}
	return false
}

// synopsis returns name's line of the usage text without its indent, or
// "" when the usage text does not list name.
func synopsis(name string) string {
	if name == "ls" {
		name = "list"
	}
	_, cmds, _ := strings.Cut(usage, "Commands:\n")
	cmds, _, _ = strings.Cut(cmds, "\n\n")
	for _, l := range strings.Split(cmds, "\n") {
		l = strings.TrimSpace(l)
		if l == name || strings.HasPrefix(l, name+" ") {
			return l
		}
	}
	return ""
}

// suggest returns the command nearest to s when it is a plausible typo:
// one edit away (two for words longer than 4 letters; a swap of two
// letters counts as one), or a prefix of exactly one command.
func suggest(s string) string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
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
