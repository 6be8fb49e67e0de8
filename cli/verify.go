package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/anykey-app/anykey/keystore"
)

// Verdicts of verify, in the order the summary line lists them.
const (
	verdictValid       = "valid"
	verdictRejected    = "rejected"
	verdictExpired     = "expired"
	verdictUnreachable = "unreachable"
	verdictMissing     = "missing from keychain"
	verdictLocked      = "locked in keychain"
	verdictRefused     = "refused (invalid entry in keys.json)"
)

// cmdVerify checks one key, or every key, against Anytype. With no NAME it
// exits 0 only when every key was confirmed valid, and its last line sums
// up what it could check: a run that reached nothing must not look like
// success.
func (c *cli) cmdVerify(args []string) int {
	pos, err := c.flags(newFlags("verify"), args, 0, 1)
	if err != nil {
		return parseExit(err)
	}
	st, err := c.store()
	if err != nil {
		return c.fail(err, where{})
	}
	var entries []keystore.Entry
	if len(pos) == 1 {
		e, err := st.Lookup(c.ctx, pos[0])
		if err != nil {
			return c.fail(err, where{name: pos[0]})
		}
		entries = []keystore.Entry{e}
	} else if entries, err = st.List(c.ctx); err != nil {
		return c.fail(err, where{})
	}
	if len(entries) == 0 {
		c.say("no keys saved yet")
		return exitOK
	}

	counts := map[string]int{}
	var unreachable, expired, rejected []keystore.Entry
	lockedOut := false // an unlock was refused or timed out: do not ask again
	// silent holds the addresses where nothing answered in this run (a
	// timeout, or nothing listening): keys saved for the same address are
	// not sent there again, so a hung Anytype costs one timeout, not one
	// per key. An address that answered with an error stays asked: its
	// answer may differ per key.
	silent := map[string]bool{}
	for _, e := range entries {
		verdict, note, err := verdictLocked, "", error(nil)
		switch {
		case e.Invalid == "" && !e.Missing && silent[c.urlFor(e)]:
			verdict, note = verdictUnreachable, "not asked again: no answer there for an earlier key"
		case !e.Locked || !lockedOut:
			verdict, note, err = c.verifyOne(st, e)
		}
		noAnswer := errors.Is(err, auth.ErrTimeout) || errors.Is(err, auth.ErrNotRunning)
		if verdict == verdictUnreachable && noAnswer {
			silent[c.urlFor(e)] = true
		}
		if verdict == verdictLocked {
			lockedOut = true
		}
		var le *auth.ListenerError
		if verdict == "" || errors.As(err, &le) {
			// The keychain failed, or the port is someone else's: one
			// message, and no key goes anywhere.
			return c.fail(err, where{name: e.Name})
		}
		counts[verdict]++
		line := textsafe.Terminal(e.Name) + ": " + verdict
		switch {
		case verdict == verdictExpired:
			line += " " + note // "expired on DATE"
			expired = append(expired, e)
		case verdict == verdictRejected:
			rejected = append(rejected, e)
			if note != "" {
				line += ", " + note
			}
		case note != "":
			line += ", " + note
		}
		fmt.Fprintln(c.stdout, textsafe.Terminal(line))
		if verdict == verdictUnreachable {
			if noAnswer || err == nil {
				unreachable = append(unreachable, e)
			}
			if err != nil && !noAnswer {
				// Anytype, or whatever holds the port, answered, but not
				// in a way that says anything about the key: say what.
				c.say("%s: %v", textsafe.Terminal(e.Name), err)
			}
		} else if err != nil {
			c.say("%s: %v", textsafe.Terminal(e.Name), err)
		}
	}
	if len(entries) > 1 || len(pos) == 0 {
		fmt.Fprintln(c.stdout, summary(counts))
	}
	if len(expired) > 0 {
		// A new key is needed: copying the old one again cannot help.
		c.hint("pair a new key under the same name: anykey rotate %s", quoteArg(expired[0].Name))
	}
	if len(rejected) > 0 {
		// As the tray says: the key was revoked, or made for another
		// account; only a new one helps.
		c.hint("Anytype no longer accepts %s (revoked, or made for another account): anykey rotate %s pairs a new key under the same name",
			quoteArg(rejected[0].Name), quoteArg(rejected[0].Name))
	}
	if lockedOut {
		c.hint("%s; then verify again", unlockHint(c.provider()))
	}
	if len(unreachable) > 0 {
		e := unreachable[0]
		c.say("could not reach Anytype at %s", c.urlFor(e))
		c.hint(hintStartAnytype)
		if c.apiURL == "" {
			c.hint("if Anytype now listens elsewhere: anykey --api-url URL verify %s tries it; anykey set-url %s URL saves it",
				quoteArg(e.Name), quoteArg(e.Name))
		}
	}
	if counts[verdictValid] != len(entries) {
		return exitFailure
	}
	return exitOK
}

// summary is "2 valid, 1 unreachable, 1 rejected": every verdict seen, in
// a fixed order.
func summary(counts map[string]int) string {
	var parts []string
	for _, v := range []string{verdictValid, verdictRejected, verdictExpired, verdictUnreachable, verdictMissing, verdictLocked, verdictRefused} {
		if counts[v] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[v], v))
		}
	}
	return strings.Join(parts, ", ")
}

// verifyOne checks one key at --api-url or the URL it was saved with. note
// says when a valid key works only on /v2. An empty verdict means the
// keychain itself failed: no verdict on the key.
func (c *cli) verifyOne(st keystore.Store, e keystore.Entry) (verdict, note string, err error) {
	if e.Invalid != "" {
		return verdictRefused, "", &keystore.BadEntryError{Name: e.Name, Reason: e.Invalid}
	}
	if e.Missing {
		return verdictMissing, "", nil
	}
	// A locked key is read all the same: Get raises the keychain's unlock
	// prompt, and verify goes on once the user answers it.
	secret, err := st.Get(c.ctx, e.Name)
	var timeout *keystore.TimeoutError
	switch {
	case errors.Is(err, keystore.ErrSecretMissing):
		return verdictMissing, "", nil
	case errors.Is(err, keystore.ErrLocked), e.Locked && errors.As(err, &timeout):
		return verdictLocked, "", err
	case err != nil:
		return "", "", err // the keychain itself failed: no verdict on the key
	}
	cl, err := c.client(c.urlFor(e))
	if err != nil {
		return verdictUnreachable, "", err
	}
	res, err := cl.Check(c.ctx, secret)
	switch {
	case err == nil && res.Validity == auth.Valid:
		c.passNotice(res.Notice, e.Name)
		return verdictValid, validNote(e, res, c.now()), nil
	case err == nil && res.Validity == auth.Expired:
		if exp := expiryOf(e); !exp.IsZero() {
			return verdictExpired, "on " + dateText(exp), nil
		}
		return verdictExpired, "(Anytype did not say when)", nil
	case res.Validity == auth.Rejected:
		return verdictRejected, "", nil
	default:
		return verdictUnreachable, "", err
	}
}

// validNote says what a valid key can do, from what Anytype said now
// and, where whoami said nothing clear, the grant saved with the key:
// a misread never replaces what the api_keys answer said.
func validNote(e keystore.Entry, res auth.CheckResult, now time.Time) string {
	var parts []string
	g := res.Grant
	if g == nil && res.Kind != auth.KindLegacy && res.Kind != auth.KindLimited {
		g = grantOf(e)
	}
	switch {
	case res.Kind == auth.KindLimited:
		parts = append(parts, "Limited scope: "+limitedText)
	case auth.V2Only(g):
		parts = append(parts, "works only on /v2 ("+scopeText(g)+"): anytype-mcp and other /v1 tools get 403")
	case res.V1Refused:
		parts = append(parts, "works only on /v2 (a scoped key): anytype-mcp and other /v1 tools get 403")
	case res.Kind == auth.KindLegacy:
		parts = append(parts, "legacy key (unscoped: every space, /v1 and /v2)")
	case res.Kind == auth.KindScoped && g != nil:
		parts = append(parts, "scoped ("+scopeText(g)+")")
	}
	if !res.ExpiresAt.IsZero() {
		when := "expires on " + dateText(res.ExpiresAt)
		switch {
		case !res.ExpiresAt.After(now):
			// Anytype accepted the key just now, so its clock has not
			// reached the expiry it reports: the two clocks disagree
			// (or a far-past date is a server's mistake). Not "soon".
			when = "its expiry, " + dateText(res.ExpiresAt) + ", has passed by this computer's clock, yet Anytype still accepted it"
		case res.ExpiresAt.Sub(now) < expiringWithin:
			when = "EXPIRES SOON, on " + dateText(res.ExpiresAt)
		}
		parts = append(parts, when)
	}
	return strings.Join(parts, "; ")
}

// passNotice passes Anytype's Anytype-Notice on, once per run: it is the
// same sentence for every legacy key. The text was cleaned by auth.
func (c *cli) passNotice(notice, name string) {
	if notice == "" || c.noticeShown {
		return
	}
	c.noticeShown = true
	c.say("Anytype says: %s", notice)
	c.hint("anykey rotate %s pairs a new key under the same name; a paired key carries a grant", quoteArg(name))
}
