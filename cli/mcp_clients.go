package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/anykey-app/anykey/handoff/mcpconfig"
	"github.com/anykey-app/anykey/internal/textsafe"
)

// mcpClients is `mcp --clients`: each client, its file here, and what the
// file holds: anykey's entry (current or the old exec --mask form), another
// entry, and whether the program an entry starts is gone. Under the table,
// on stderr, what to run for each old or dead entry.
func (c *cli) mcpClients() int {
	env := c.clientEnv()
	if !filepath.IsAbs(env.Home) {
		c.say("HOME is not set to an absolute path, so the MCP clients' config files cannot be found")
		c.hint("set HOME to your home directory and run this again")
		return exitFailure
	}
	rows := [][]string{{"CLIENT", "CONFIG FILE", "ANYTYPE ENTRY"}}
	var fixes []string
	for _, cl := range mcpconfig.Clients() {
		text, fix := entryText(cl, env)
		rows = append(rows, []string{cl.ID, textsafe.Terminal(cl.File(env)), text})
		if fix != "" {
			fixes = append(fixes, fix)
		}
	}
	_, err := io.WriteString(c.stdout, table(rows)) // list's layout
	if err != nil {
		return c.fail(err, where{})
	}
	for _, f := range fixes {
		c.hint("%s", f)
	}
	return exitOK
}

// entryText is the ANYTYPE ENTRY cell for cl, and what to run when the
// entry is old or dead ("" when nothing is to be done).
func entryText(cl mcpconfig.Client, env mcpconfig.Env) (text, fix string) {
	st, err := cl.ReadStatus(env)
	var fe *mcpconfig.FileError
	switch {
	case errors.As(err, &fe) && errors.Is(err, mcpconfig.ErrParse):
		return "file does not parse", ""
	case errors.Is(err, mcpconfig.ErrNotRegular):
		return "not a regular file", ""
	case errors.Is(err, mcpconfig.ErrTooLarge):
		return "file too large to read", ""
	case err != nil:
		return "unreadable", ""
	case !st.Exists:
		if _, err := os.Stat(cl.Dir(env)); err != nil {
			return "- (not set up here)", ""
		}
		return "- (no file yet)", ""
	case !cl.Editable():
		return "(not read: YAML)", ""
	case st.Entry == nil:
		return "none", ""
	}
	gone := deadProgram(*st.Entry)
	key := textsafe.Terminal(st.Key)
	install := "anykey mcp --install " + cl.ID + " " + quoteArg(key)
	switch {
	case st.Form == mcpconfig.ExecMask:
		text = "anykey (old exec --mask form), key " + key
		fix = fmt.Sprintf("%s: %s upgrades the old entry to anykey mcp serve (it finds Node itself and uses Anytype's own MCP endpoint where there is one)", cl.ID, install)
	case st.Ours:
		text = "anykey, key " + key
	default:
		text = "other (" + textsafe.Terminal(st.Entry.Command) + ")"
	}
	switch {
	case gone != "" && st.Ours:
		text = "DEAD (" + textsafe.Terminal(gone) + " is gone), " + text
		fix = fmt.Sprintf("%s: the entry starts %s, which is gone; %s writes an entry that lasts", cl.ID, textsafe.Terminal(gone), install)
	case gone != "":
		text = "DEAD (" + textsafe.Terminal(gone) + " is gone), " + text
		fix = fmt.Sprintf("%s: the entry starts %s, which is gone; anykey mcp --install %s --force NAME replaces it with anykey's keyless entry", cl.ID, textsafe.Terminal(gone), cl.ID)
	}
	if st.HoldsKey {
		text += ", holds a key in plain text"
	}
	return text, fix
}

// deadProgram is the first absolute program e starts that no longer
// exists, "" when all are there. A bare name ("npx") is looked up on a
// PATH anykey cannot know, and is not checked.
func deadProgram(e mcpconfig.Entry) string {
	for _, p := range mcpconfig.Program(e) {
		if !filepath.IsAbs(p) {
			continue
		}
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
	}
	return ""
}

// clientsUsing lists the clients whose files hold anykey's entry for key,
// as "ID (FILE)".
func (c *cli) clientsUsing(key string) []string {
	env := c.clientEnv()
	if !filepath.IsAbs(env.Home) {
		return nil
	}
	var out []string
	for _, cl := range mcpconfig.Clients() {
		if st, err := cl.ReadStatus(env); err == nil && st.Holds(key) {
			out = append(out, cl.ID+" ("+textsafe.Terminal(st.File)+")")
		}
	}
	return out
}
