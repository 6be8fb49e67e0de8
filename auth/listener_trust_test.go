package auth

import (
	"errors"
	"testing"
)

// TestTrustValue: a hint offers only a value the owner check matches, and
// never one a shell would split or run, nor a made-up one.
func TestTrustValue(t *testing.T) {
	for _, tc := range []struct {
		owner, id string
		kind      error
		want      string
	}{
		{"anytype", "1001", ErrForeignListener, "anytype"},
		{"", "1001", ErrForeignListener, "1001"},
		{`HOST\svc`, "S-1-5-21-1-2-3-1001", ErrForeignListener, `HOST\svc`},
		{`HOST\John Smith`, "S-1-5-21-1-2-3-1001", ErrForeignListener, "S-1-5-21-1-2-3-1001"},
		{"unknown (process 0)", "unknown (process 0)", ErrForeignListener, ""},
		{"a,b", "", ErrForeignListener, ""},
		{"x&echo pwned", "", ErrForeignListener, ""},
		{"*", "", ErrForeignListener, ""},
		{"evil\u202e", "", ErrForeignListener, ""},
		{"anytype", "1001", ErrListenerUnknown, ""},
	} {
		e := &ListenerError{Addr: "127.0.0.1:31009", Owner: tc.owner, ID: tc.id, Kind: tc.kind, Err: errors.New("x")}
		if got := e.TrustValue(); got != tc.want {
			t.Errorf("TrustValue(owner %q, id %q, %v) = %q, want %q", tc.owner, tc.id, tc.kind, got, tc.want)
		}
	}
	if (*ListenerError)(nil).TrustValue() != "" {
		t.Error("nil error offers a value")
	}
}
