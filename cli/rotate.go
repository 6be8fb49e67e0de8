package cli

import (
	"errors"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/keystore"
	"github.com/anykey-app/anykey/pairing"
)

// cmdRotate pairs a new key under a saved name: one challenge with pair's
// rules, at the URL saved with the name (--api-url overrides it), and the
// stored key replaced only once the new one is saved. It is the answer to
// an expired key, a Limited one, and Anytype's legacy-key notice: a key
// paired anew carries a grant. MCP entries that name the key (not the
// secret) pick the new one up on their next start.
func (c *cli) cmdRotate(args []string) int {
	pos, err := c.flags(newFlags("rotate"), args, 1, 1)
	if err != nil {
		return parseExit(err)
	}
	w := where{name: pos[0]}
	st, err := c.store()
	if err != nil {
		return c.fail(err, w)
	}
	old, err := st.Lookup(c.ctx, pos[0])
	if errors.Is(err, keystore.ErrNotFound) {
		c.say("no key named %q to replace", pos[0])
		c.hint("anykey pair %s makes a new one; anykey list shows the saved names", quoteArg(pos[0]))
		return exitFailure
	}
	if err != nil {
		return c.fail(err, w)
	}
	w.name = old.Name
	base := old.APIURL
	if base == "" {
		base = auth.DesktopURL
	}
	if c.apiURL != "" {
		if base, err = c.resolveURL(); err != nil {
			return c.fail(err, w)
		}
	}
	w.url = base
	cl, err := c.client(base)
	if err != nil {
		return c.fail(err, w)
	}
	ctx, stop := c.interruptible()
	defer stop()
	e, _, err := c.pairFlow(old.Name, cl, st).Pair(ctx, old.Name, true)
	if err != nil {
		code := c.fail(err, w)
		// Every failure says so, cancelling too: the user asked for
		// the old key to go away and must know it is still the one saved.
		c.hint("%s", pairing.KeptNote(old, c.now()))
		return code
	}
	c.say("replaced key %q with a new one for %s", e.Name, e.APIURL)
	c.warnScoped(e)
	c.hint("%s", pairing.RevokeNote(old, e, c.now()))
	return exitOK
}
