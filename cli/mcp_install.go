package cli

import (
	"errors"

	"github.com/anykey-app/anykey/handoff/mcpconfig"
)

// mcpInstall is --install (entry set) and --uninstall (entry nil).
func (c *cli) mcpInstall(cl mcpconfig.Client, name string, entry *mcpconfig.Entry, force bool) int {
	env := c.clientEnv()
	var (
		res mcpconfig.Result
		err error
	)
	if entry != nil {
		res, err = mcpconfig.Install(c.ctx, cl, env, *entry, force)
	} else {
		res, err = mcpconfig.Uninstall(c.ctx, cl, env, name, force)
	}
	var (
		ce *mcpconfig.ConflictError
		ne *mcpconfig.NeedCLIError
		fe *mcpconfig.FileError
		xe *mcpconfig.ExpansionError
	)
	if res.KeyDropped {
		defer c.keyDroppedNote(res.File)
	}
	switch {
	case errors.As(err, &xe):
		return c.failEntry(err, name)
	case errors.As(err, &ce):
		c.say("%v; not changed", err)
		if st, _ := cl.ReadStatus(env); st.HoldsKey {
			c.hint("--force replaces it; no backup is kept, since that entry holds an API key in plain text")
		} else {
			c.hint("--force replaces it (the previous file is kept as %s%s)", ce.File, mcpconfig.BackupSuffix)
		}
		return exitFailure
	case errors.As(err, &ne):
		c.say("%v", err)
		argv := []string{ne.Program, "mcp", "remove", "-s", "user", mcpconfig.ServerName}
		if entry != nil {
			argv = cl.AddCommand(*entry)
		}
		c.hint("%s", c.shellLine(argv))
		return exitFailure
	case errors.As(err, &fe) && errors.Is(err, mcpconfig.ErrParse):
		c.say("%v", err)
		c.hint("fix the file (or move it away) and run this again; anykey left it as it was")
		return exitFailure
	case errors.As(err, &fe) && errors.Is(err, mcpconfig.ErrReadOnly):
		c.say("%v; not changed", err)
		c.hint("make it writable, or add the entry by hand: anykey mcp --client %s %s", cl.ID, quoteArg(name))
		return exitFailure
	case errors.As(err, &fe) && (errors.Is(err, mcpconfig.ErrNotRegular) || errors.Is(err, mcpconfig.ErrTooLarge)):
		c.say("%v; not changed", err)
		c.hint("anykey edits only a regular file up to %d MB there; move that away, or add the entry by hand: anykey mcp --client %s %s",
			mcpconfig.MaxParseSize>>20, cl.ID, quoteArg(name))
		return exitFailure
	case errors.As(err, &fe) && errors.Is(err, mcpconfig.ErrNotEditable):
		c.say("anykey does not edit %s's %s file (%s)", cl.Name, cl.Format, fe.File)
		c.hint("print the entry with anykey mcp --client %s %s and add it by hand", cl.ID, quoteArg(name))
		return exitFailure
	case err != nil:
		c.say("%v", err)
		c.hint("anykey left the file as it was; the entry to add by hand: anykey mcp --client %s %s", cl.ID, quoteArg(name))
		return exitFailure
	}
	switch res.Change {
	case mcpconfig.Unchanged:
		if entry != nil {
			c.say("%s already holds anykey's entry for %q; nothing changed", res.File, name)
		} else {
			c.say("%s holds no %q entry; nothing changed", res.File, mcpconfig.ServerName)
		}
		return exitOK
	case mcpconfig.Removed:
		c.say("removed the %q entry from %s", mcpconfig.ServerName, res.File)
	case mcpconfig.Replaced:
		c.say("replaced the %q entry in %s with anykey's entry for %q", mcpconfig.ServerName, res.File, name)
	default:
		c.say("added anykey's entry for %q to %s (no key in it)", name, res.File)
	}
	if res.Backup != "" {
		c.say("the previous file is kept as %s", res.Backup)
	}
	c.hint("%s: %s", cl.Name, cl.Reload)
	return exitOK
}

// keyDroppedNote tells the user that the entry anykey replaced or removed
// held an API key in plain text, that no backup keeps it, and that the key
// still works until it is revoked.
func (c *cli) keyDroppedNote(file string) {
	c.say("the entry that was in %s held an API key in plain text; anykey kept no backup of the file, so that the key is not left in one", file)
	c.hint("that key still works: revoke it in Anytype (Settings → API Keys → revoke), and delete any copy of the old file you made yourself")
}
