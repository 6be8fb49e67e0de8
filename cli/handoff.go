package cli

import (
	"context"
	"errors"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/anykey-app/anykey/keystore"
)

// checkHandOff refuses to hand e's key to a tool (env, exec, exec --mask,
// mcp --inline) when the API port the tool would call is held by another
// user's program: anykey itself never sends a key there (auth checks every
// connection), and the tool it starts must not either. Nobody listening
// is fine: Anytype may start later. It returns 0, or the exit status after
// reporting why.
func (c *cli) checkHandOff(e keystore.Entry) int {
	timeout := c.dialTimeout
	if timeout <= 0 {
		timeout = probeTimeout
	}
	ctx, cancel := context.WithTimeout(c.ctx, timeout)
	defer cancel()
	err := auth.CheckHandOff(ctx, c.urlFor(e))
	var le *auth.ListenerError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &le) && errors.Is(err, auth.ErrForeignListener):
		c.say("key %q was not handed out: %s is held by user %s, not by you, and the tool would send the key there",
			textsafe.Terminal(e.Name), le.Addr, textsafe.Terminal(le.Owner))
		if v := le.TrustValue(); v != "" {
			c.hint("quit the program of user %s on that port and start Anytype; if it is your Anytype run by a service account, allow it with %s=%s",
				textsafe.Terminal(le.Owner), auth.EnvTrustListenerOwner, v)
		} else {
			c.hint("quit the program of user %s on that port and start Anytype; if it is your Anytype run by a service account, add that account to %s",
				textsafe.Terminal(le.Owner), auth.EnvTrustListenerOwner)
		}
		return exitFailure
	case errors.As(err, &le):
		c.say("key %q was not handed out: cannot tell who listens at %s: %v", textsafe.Terminal(e.Name), le.Addr, le.Err)
		c.hint("if Anytype runs where its owner cannot be seen (a forwarded port), %s=* turns the check off", auth.EnvTrustListenerOwner)
		return exitFailure
	default:
		return c.fail(err, where{name: e.Name, url: c.urlFor(e)})
	}
}
