package cli

import (
	"flag"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestFlagsMatchDefinition: each command parses its own flags (flag
// package), while help, completion and the man page show those of the
// command tree. Each command is run with --help, and the flags it defined
// by then must be the tree's: the same names, each taking a value or not
// in both.
func TestFlagsMatchDefinition(t *testing.T) {
	var check func(cmd *cobra.Command)
	checked := 0
	check = func(cmd *cobra.Command) {
		for _, sub := range cmd.Commands() {
			check(sub)
		}
		if cmd == cmd.Root() {
			return
		}
		path := strings.Fields(strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" "))
		want := map[string]bool{} // name -> takes a value
		cmd.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
			if f.Name != "help" {
				want[f.Name] = f.Value.Type() != "bool"
			}
		})
		switch path[0] {
		case "exec":
			// exec reads its words itself: only --mask, before NAME.
			if !maps.Equal(want, map[string]bool{"mask": false}) {
				t.Errorf("exec: tree flags %v, exec reads only --mask", want)
			}
			return
		case "help":
			if len(want) != 0 {
				t.Errorf("help: tree flags %v, help reads none", want)
			}
			return
		}
		h := newHarness(t, fakeanytype.Config{})
		got := map[string]bool{}
		seen := false
		h.deps.sawFlags = func(fs *flag.FlagSet) {
			seen = true
			fs.VisitAll(func(f *flag.Flag) {
				if f.Name == "api-url" {
					return
				}
				b, ok := f.Value.(interface{ IsBoolFlag() bool })
				got[f.Name] = !(ok && b.IsBoolFlag())
			})
		}
		r := h.run(nil, append(path, "--help")...)
		if !seen || r.code != 0 {
			t.Errorf("%s --help: exit %d, flags parsed: %v (%s)", strings.Join(path, " "), r.code, seen, r.stderr)
			return
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s: the command parses %v, the tree says %v", strings.Join(path, " "), got, want)
		}
		checked++
	}
	check(commandTree())
	if checked < 15 {
		t.Errorf("checked %d commands, want every one", checked)
	}
}

// TestHelpEveryCommand: `help CMD` and `CMD --help` print the same text,
// made from the tree: every synopsis, the description and every flag.
func TestHelpEveryCommand(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fakeanytype.Config{})
	for _, cmd := range commandTree().Commands() {
		name := cmd.Name()
		r := h.run(nil, "help", name)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("help %s: exit %d, stderr %q", name, r.code, r.stderr)
			continue
		}
		for _, f := range commandForms(cmd) {
			syn, _, _ := strings.Cut(f, "\t")
			if !strings.Contains(r.stdout, "anykey [--api-url URL] "+syn+"\n") {
				t.Errorf("help %s: no synopsis %q in\n%s", name, syn, r.stdout)
			}
		}
		if !strings.Contains(r.stdout, cmd.Long) {
			t.Errorf("help %s: description missing", name)
		}
		ownFlags(cmd).VisitAll(func(f *pflag.Flag) {
			if !strings.Contains(r.stdout, "--"+f.Name+" ") || !strings.Contains(r.stdout, f.Usage) {
				t.Errorf("help %s: flag --%s missing", name, f.Name)
			}
		})
		if name == "help" {
			continue
		}
		if r2 := h.run(nil, name, "--help"); r2.code != 0 || r2.stdout != r.stdout {
			t.Errorf("%s --help differs from help %s:\n%s", name, name, r2.stdout)
		}
	}
}

// TestUsageListsEveryCommand: `anykey help` has a line for every command
// and form of the tree, and nothing else in its Commands section.
func TestUsageListsEveryCommand(t *testing.T) {
	root := commandTree()
	text := usageText(root)
	_, cmds, _ := strings.Cut(text, "Commands:\n")
	cmds, _, _ = strings.Cut(cmds, "\n\n")
	var names []string
	for _, l := range strings.Split(cmds, "\n") {
		names = append(names, strings.Fields(l)[0])
	}
	for _, cmd := range root.Commands() {
		if !slices.Contains(names, cmd.Name()) {
			t.Errorf("usage text has no line for %s", cmd.Name())
		}
	}
	for _, n := range names {
		if lookupCommand(root, n) == nil {
			t.Errorf("usage text lists %q, which the tree does not have", n)
		}
	}
}

// BenchmarkCommandTree is what building the definition adds to a run
// (once; docs/performance.md). cobra keeps flag completion functions in a
// map of its own, which each tree adds to: a benchmark of many trees
// measures that map too, so each tree's figure is of a fresh process.
func BenchmarkCommandTree(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = lookupCommand(newTree().root, "get")
	}
}

// TestREADMEListsTheCommands: the README's command list is the Commands
// section of `anykey help`, so that it cannot drift from the definition
// either. After changing a command, paste that section (go run . help).
func TestREADMEListsTheCommands(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "## The command line\n\n```\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("README.md has no code block after \"## The command line\"")
	}
	root := commandTree()
	_, cmds, _ := strings.Cut(usageText(root), "Commands:\n")
	cmds, _, _ = strings.Cut(cmds, "\n\n")
	if want := root.Use + "\n" + cmds + "\n"; block != want {
		t.Errorf("README.md's command list is not anykey help's; paste this:\n%s", want)
	}
}

// TestCompleteNeedsWords: cobra's scripts always send __complete the words
// typed (at least an empty one). Without any, __complete is no request
// but a command typed by hand, and anykey says so as before cobra, not
// with cobra's silent exit 1.
func TestCompleteNeedsWords(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fakeanytype.Config{})
	r := h.run(nil, "__complete")
	if r.code != 2 || !strings.Contains(r.stderr, `anykey: unknown command "__complete"`) {
		t.Errorf("__complete: %+v", r)
	}
	if r := h.run(nil, "__complete", ""); r.code != 0 || !strings.Contains(r.stdout, "pair") {
		t.Errorf("__complete '': %+v", r)
	}
}

// TestHelpTraySaysNoCommand: tray's usage says what its one-line summary
// does, that it is what anykey does with no command.
func TestHelpTraySaysNoCommand(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fakeanytype.Config{})
	if r := h.run(nil, "help", "tray"); !strings.Contains(r.stdout, "what anykey does with no command") {
		t.Errorf("help tray:\n%s", r.stdout)
	}
}
