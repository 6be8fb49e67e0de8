package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/auth"
)

// TestListenerHintOffersOnlyRealOwners: the hint after a refused listener
// offers ANYKEY_TRUST_LISTENER_OWNER=VALUE only with a value the check
// matches; an owner that could not be found (Windows: a process anykey
// cannot open) or one that is no plain word gets no value at all.
func TestListenerHintOffersOnlyRealOwners(t *testing.T) {
	for _, tc := range []struct {
		le   *auth.ListenerError
		want string // "" = no "VAR=value" other than "=*"
	}{
		{&auth.ListenerError{Addr: "127.0.0.1:31009", Owner: "anytype", ID: "1001", Kind: auth.ErrForeignListener}, "ANYKEY_TRUST_LISTENER_OWNER=anytype"},
		{&auth.ListenerError{Addr: "127.0.0.1:31009", Owner: "unknown (process 4242)", ID: "unknown (process 4242)", Kind: auth.ErrForeignListener}, ""},
		{&auth.ListenerError{Addr: "127.0.0.1:31009", Owner: "x&echo INJECTED", Kind: auth.ErrForeignListener}, ""},
		{&auth.ListenerError{Addr: "127.0.0.1:31009", Kind: auth.ErrListenerUnknown, Err: errors.New("the listening process (pid 0) cannot be opened")}, ""},
	} {
		var stderr bytes.Buffer
		c := &cli{ctx: context.Background(), stderr: &stderr}
		if code := c.failListener(tc.le); code != exitFailure {
			t.Errorf("%v: exit %d", tc.le, code)
		}
		out := stderr.String()
		rest := strings.ReplaceAll(out, auth.EnvTrustListenerOwner+"=*", "")
		if tc.want != "" && !strings.Contains(out, tc.want) {
			t.Errorf("%v: hint lacks %q:\n%s", tc.le, tc.want, out)
		}
		if tc.want == "" && strings.Contains(rest, auth.EnvTrustListenerOwner+"=") {
			t.Errorf("%v: hint offers a value:\n%s", tc.le, out)
		}
		if strings.Contains(out, "=unknown") || strings.Contains(out, "process 4242)\n") && strings.Contains(rest, "=") {
			t.Errorf("%v: hint offers the made-up owner:\n%s", tc.le, out)
		}
	}
}
