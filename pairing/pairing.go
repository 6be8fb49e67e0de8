// Package pairing runs Anytype's pairing flow without any UI: one challenge,
// a code asked through an injected [Prompt], at most [MaxTries] tries on the
// same challenge, and the key saved in a [keystore.Store]. The CLI and the
// tray are two front ends over [Flow.Pair].
package pairing

// SKELETON: the exported API below is the contract other packages code
// against. Implementations replace the bodies; signatures stay.

import (
	"context"
	"errors"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/keystore"
)

// MaxTries is the most codes asked for on one challenge.
const MaxTries = 5

// Client is the part of *auth.Client the flow needs.
type Client interface {
	BaseURL() string
	CreateChallenge(ctx context.Context, appName string) (*auth.Challenge, error)
	CreateAPIKey(ctx context.Context, ch *auth.Challenge, code string) (*auth.Key, error)
}

// Request is what a [Prompt] is asked for.
type Request struct {
	Name     string // key name (also the app_name Anytype shows)
	Try      int    // 1-based
	MaxTries int
	// Retry says why the code is asked again: "" on the first try, else a
	// user-facing reason such as "Anytype did not accept that code" or
	// "the code must be exactly 4 digits".
	Retry string
}

// Prompt asks the user for the code. An empty answer or an error ends the flow
// ([ErrCanceled] when the user cancelled).
type Prompt func(ctx context.Context, r Request) (string, error)

var (
	ErrCanceled     = errors.New("pairing cancelled")
	ErrTooManyTries = errors.New("too many codes tried on this pairing request")
)

// SaveError means Anytype minted a key but saving it failed. Key holds the
// secret so the caller can hand it to the user; Error() never includes it.
type SaveError struct {
	Key *auth.Key
	Err error
}

func (e *SaveError) Error() string { panic("skeleton") }
func (e *SaveError) Unwrap() error { return e.Err }

// Flow pairs and saves.
type Flow struct {
	Client Client
	Store  keystore.Store
	Prompt Prompt
	// Started, if set, is called once the challenge exists (before the first
	// prompt) so the front end can tell the user to look at Anytype.
	Started func(ch *auth.Challenge)
}

// Pair refuses an existing name unless force (before any request), starts one
// challenge, asks for codes, and saves the key under name. It returns the
// saved entry and the key.
func (f *Flow) Pair(ctx context.Context, name string, force bool) (keystore.Entry, *auth.Key, error) {
	panic("skeleton")
}
