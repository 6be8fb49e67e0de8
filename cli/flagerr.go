package cli

import (
	"flag"
	"fmt"
	"strings"
)

// flagProblem words a flag parse error of fs in anykey's terms. Go's flag
// package says "flag provided but not defined: -forse" and writes flags
// with one dash; anykey's usage writes them with two, names the command,
// and offers the nearest flag for a typo. The package's messages are
// matched by their fixed prefixes (flag.FlagSet.failf in Go's source);
// anything else is passed through.
func flagProblem(fs *flag.FlagSet, err error) string {
	msg := err.Error()
	cmd := fs.Name()
	name := func(s string) string { return "--" + strings.TrimLeft(s, "-") }
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		f := name(strings.TrimPrefix(msg, "flag provided but not defined: "))
		out := fmt.Sprintf("%s: unknown flag %s", cmd, f)
		if s := nearestFlag(fs, strings.TrimLeft(f, "-")); s != "" {
			out += fmt.Sprintf(" (did you mean --%s?)", s)
		} else if !hasFlags(fs) {
			out = fmt.Sprintf("%s: unknown flag %s (%s takes none)", cmd, f, cmd)
		}
		return out
	case strings.HasPrefix(msg, "flag needs an argument: "):
		f := name(strings.TrimPrefix(msg, "flag needs an argument: "))
		return fmt.Sprintf("%s: %s needs a value (%s VALUE or %s=VALUE)", cmd, f, f, f)
	case strings.HasPrefix(msg, "invalid boolean value "):
		// invalid boolean value "maybe" for -json: parse error
		rest := strings.TrimPrefix(msg, "invalid boolean value ")
		val, f, _ := strings.Cut(rest, " for ")
		f, _, _ = strings.Cut(f, ":")
		return fmt.Sprintf("%s: %s takes no value (got %s); leave it out for false", cmd, name(f), val)
	case strings.HasPrefix(msg, "invalid value "):
		// invalid value "x" for flag -name: reason
		rest := strings.TrimPrefix(msg, "invalid value ")
		val, f, _ := strings.Cut(rest, " for flag ")
		f, why, _ := strings.Cut(f, ": ")
		return fmt.Sprintf("%s: %s %s: %s", cmd, name(f), val, why)
	case strings.HasPrefix(msg, "bad flag syntax: "):
		return fmt.Sprintf("%s: %q is not a flag (flags are --NAME or --NAME=VALUE)", cmd, strings.TrimPrefix(msg, "bad flag syntax: "))
	}
	return cmd + ": " + msg
}

// nearestFlag is fs's flag one or two edits away from s, "" if none.
func nearestFlag(fs *flag.FlagSet, s string) string {
	best, bestD := "", 3
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "api-url" && s != "api-url" {
			// Every command takes it; not what a typo of its own flag means.
			if d := editDistance(s, f.Name); d > 1 {
				return
			}
		}
		if d := editDistance(s, f.Name); d < bestD && d <= max(1, min(2, len(s)/3)) {
			best, bestD = f.Name, d
		}
	})
	return best
}

// hasFlags reports whether fs has flags of its own besides --api-url,
// which flags adds to every command.
func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name != "api-url" {
			n++
		}
	})
	return n > 0
}
