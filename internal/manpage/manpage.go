// Package manpage makes anykey's man page, packaging/man/anykey.1, from the
// command line's definition (cli.Definition) with cobra's doc generator
// (github.com/spf13/cobra/doc, which renders Markdown to roff with
// go-md2man). One page holds every command, as the packages install one
// (anykey.1), rather than cobra's page per command.
//
// It is used by go generate (genman) and by the test that checks the
// committed page is the generated one; anykey itself never links it.
package manpage

//go:generate go run ./genman ../../packaging/man/anykey.1

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/anykey-app/anykey/cli"
	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"
)

// Date is the page's date in its header. It is fixed, not today's, so
// that the page is the same wherever it is made.
var Date = time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)

// Write writes the man page, in roff, to w.
func Write(w io.Writer) error {
	root := cli.Definition()
	// cobra's generator writes NAME, SYNOPSIS, DESCRIPTION (Long), OPTIONS
	// (the flags) and EXAMPLE for one command, and a SEE ALSO naming a
	// page per subcommand: it is given a copy of the root without
	// subcommands, whose Long carries the COMMANDS, the OPTIONS and the
	// notes. cobra's OPTIONS would print each flag with its default
	// (--api-url="", --version[=false]) and add its own -h ("help for
	// anykey"): the copy has no flag cobra shows, only a hidden --help
	// that keeps cobra from adding its own.
	page := &cobra.Command{
		Use:                   root.Use,
		Short:                 root.Short,
		Long:                  description(root),
		Example:               root.Example,
		DisableFlagsInUseLine: true,
		DisableAutoGenTag:     true,
	}
	page.Flags().BoolP("help", "h", false, "")
	_ = page.Flags().MarkHidden("help")
	var buf bytes.Buffer
	buf.WriteString(`.\" Made by go generate ./internal/manpage from the command line's definition
.\" (cli/commands.go): edit that, not this file.
`)
	err := doc.GenMan(page, &doc.GenManHeader{
		Title:   "ANYKEY",
		Section: "1",
		Date:    &Date,
		Source:  "anykey",
		Manual:  "User Commands",
	}, &buf)
	if err != nil {
		return fmt.Errorf("generate man page: %w", err)
	}
	// A section after cobra's: written in roff, as md2man would take a
	// page's first heading for its title.
	buf.WriteString(".SH SEE ALSO\n.BR secret\\-tool (1),\n.BR zenity (1)\n.PP\nhttps://github.com/anykey\\-app/anykey\n")
	_, err = w.Write(buf.Bytes())
	return err
}

// description is the DESCRIPTION, COMMANDS, OPTIONS, ENVIRONMENT, FILES
// and EXIT STATUS sections, in Markdown.
func description(root *cobra.Command) string {
	var b strings.Builder
	b.WriteString(text(root.Long))
	b.WriteString("\n\n# COMMANDS\n")
	var each func(cmd *cobra.Command)
	each = func(cmd *cobra.Command) {
		if !cmd.IsAvailableCommand() && cmd.Name() != "help" {
			return
		}
		path := strings.TrimPrefix(cmd.CommandPath(), root.Name()+" ")
		fmt.Fprintf(&b, "\n### %s\n", text(path))
		// The command's own forms; its subcommands' come in their own
		// subsections.
		forms := cli.Forms(cmd)
		for _, sub := range cmd.Commands() {
			forms = slices.DeleteFunc(forms, func(f string) bool { return slices.Contains(cli.Forms(sub), f) })
		}
		for i, f := range forms {
			syn, _, _ := strings.Cut(f, "\t")
			forms[i] = synopsis(syn)
		}
		b.WriteString(strings.Join(forms, "  \n") + "\n\n")
		// Long begins with what Short says.
		if cmd.Long != "" {
			b.WriteString(text(cmd.Long) + "\n")
		} else {
			b.WriteString(text(upper(cmd.Short)) + ".\n")
		}
		flags(&b, cmd.LocalNonPersistentFlags())
		for _, sub := range cmd.Commands() {
			each(sub)
		}
	}
	for _, cmd := range root.Commands() {
		each(cmd)
	}
	b.WriteString("\n# OPTIONS\nBefore the command; --api-url also after it.\n")
	flags(&b, root.PersistentFlags())
	flags(&b, root.LocalNonPersistentFlags())
	fmt.Fprintf(&b, "\n**-h**, **--help**\n: %s\n", text("print the usage summary; after a command, its usage (as help COMMAND)"))
	notes(&b, "ENVIRONMENT", root.Annotations[cli.NoteEnvironment])
	notes(&b, "FILES", root.Annotations[cli.NoteFiles])
	b.WriteString("\n# EXIT STATUS\n0 on success, 1 on failure, 2 on a usage error; exec exits with its command's status.\n")
	return b.String()
}

// flags writes fs's flags, but --help, as a definition list.
func flags(b *strings.Builder, fs *pflag.FlagSet) {
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Name == "help" {
			return
		}
		term := "**--" + f.Name + "**"
		if v := cli.FlagValue(f); v != "" {
			term += " *" + v + "*"
		}
		def := f.Usage
		if f.Value.Type() != "bool" && f.DefValue != "" {
			def += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(b, "\n%s\n: %s\n", term, text(def))
	})
}

// notes writes a section of "TERM<TAB>text" lines as a definition list.
func notes(b *strings.Builder, title, lines string) {
	if lines == "" {
		return
	}
	fmt.Fprintf(b, "\n# %s\n", title)
	for _, l := range strings.Split(lines, "\n") {
		term, def, _ := strings.Cut(l, "\t")
		fmt.Fprintf(b, "\n**%s**\n: %s\n", text(term), text(def))
	}
}

var synToken = regexp.MustCompile(`--?[a-z][a-z-]*|[A-Z][A-Z]*|[a-z][a-z-]*|.`)

// synopsis writes a synopsis in Markdown: words and flags bold,
// placeholders (NAME, CMD) italic, the rest as it is.
func synopsis(s string) string {
	var b strings.Builder
	for _, t := range synToken.FindAllString(s, -1) {
		switch {
		case t[0] >= 'A' && t[0] <= 'Z':
			b.WriteString("*" + t + "*")
		case t[0] >= 'a' && t[0] <= 'z' || len(t) > 1 && t[0] == '-':
			b.WriteString("**" + t + "**")
		default:
			b.WriteString(text(t))
		}
	}
	return b.String()
}

// markdownSpecial are the characters Markdown (blackfriday, as md2man
// reads it) could take for markup inside a line.
var markdownSpecial = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`,
	`[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`, `|`, `\|`)

// text turns the plain text of the definition (help text, which the
// terminal shows as it is) into Markdown that reads the same: markup
// characters escaped, and what would start a heading, a list or a
// definition at the start of a line too.
func text(s string) string {
	lines := strings.Split(markdownSpecial.Replace(s), "\n")
	for i, l := range lines {
		if l != "" && strings.ContainsRune("#-+:=0123456789", rune(l[0])) {
			lines[i] = `\` + l
		}
	}
	return strings.Join(lines, "\n")
}

// upper makes s's first letter a capital.
func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
