package auth

import (
	"strings"

	"github.com/anykey-app/anykey/internal/textsafe"
)

// TrustValue returns what a user may put in [EnvTrustListenerOwner] to
// let this listener's owner through, for a hint: the owner's user name
// when it is one plain word, else its numeric id or SID; "" when neither
// is a value the check would match (an owner that could not be found), or
// neither can be offered as a plain word (spaces, commas, quotes, shell
// operators, control or bidi characters). A hint must never offer
// anything else: a made-up value such as a process number would trust
// whoever later holds it.
func (e *ListenerError) TrustValue() string {
	if e == nil || e.Kind != ErrForeignListener {
		return ""
	}
	for _, v := range []string{e.Owner, e.ID} {
		if v != "" && v != "*" && textsafe.Clean(v) &&
			!strings.ContainsAny(v, " \t,\"'`$()<>|&;*?[]{}!#~%^=") {
			return v
		}
	}
	return ""
}
