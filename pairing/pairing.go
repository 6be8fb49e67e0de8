// Package pairing runs Anytype's pairing flow without any UI: one challenge,
// a code asked through an injected [Prompt], at most [MaxTries] tries on the
// same challenge, and the key saved in a [keystore.Store]. The CLI and the
// tray are two front ends over [Flow.Pair].
package pairing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/keystore"
)

// MaxTries is the most codes asked for on one challenge.
const MaxTries = 5

// Retry reasons shown to the user when the code is asked again.
const (
	RetryInvalid  = "the code must be exactly 4 digits"
	RetryRejected = "Anytype did not accept that code (wrong code, not approved yet, or expired)"
)

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

func (e *SaveError) Error() string {
	return fmt.Sprintf("saving the new key: %v", e.Err)
}
func (e *SaveError) Unwrap() error { return e.Err }

// Flow pairs and saves.
type Flow struct {
	Client Client
	Store  keystore.Store
	Prompt Prompt
	// Started, if set, is called once the challenge exists (before the first
	// prompt) so the front end can tell the user to look at Anytype.
	Started func(ch *auth.Challenge)

	now func() time.Time // test hook; time.Now when nil
}

// Pair refuses an existing name unless force (before any request), starts one
// challenge, asks for codes, and saves the key under name. It returns the
// saved entry and the key.
func (f *Flow) Pair(ctx context.Context, name string, force bool) (keystore.Entry, *auth.Key, error) {
	if err := keystore.ValidateName(name); err != nil {
		return keystore.Entry{}, nil, err
	}
	if !force {
		// Checked before any request: a challenge spent on a name we then
		// refuse would count against Anytype's per-run cap for nothing.
		switch _, err := f.Store.Lookup(ctx, name); {
		case err == nil:
			return keystore.Entry{}, nil, fmt.Errorf("%q: %w", name, keystore.ErrExists)
		case !errors.Is(err, keystore.ErrNotFound):
			return keystore.Entry{}, nil, fmt.Errorf("checking %q: %w", name, err)
		}
	}

	ch, err := f.Client.CreateChallenge(ctx, name)
	if err != nil {
		return keystore.Entry{}, nil, fmt.Errorf("starting pairing: %w", err)
	}
	if f.Started != nil {
		f.Started(ch)
	}

	key, err := f.solve(ctx, name, ch)
	if err != nil {
		return keystore.Entry{}, nil, err
	}

	e, err := f.entry(name, key)
	if err != nil {
		return keystore.Entry{}, nil, &SaveError{Key: key, Err: err}
	}
	if err := f.Store.Set(ctx, e, key.Secret, force); err != nil {
		return keystore.Entry{}, nil, &SaveError{Key: key, Err: err}
	}
	return e, key, nil
}

// solve asks for codes until Anytype accepts one, always on the same
// challenge: a new challenge only ever comes from a new explicit request,
// because Anytype caps challenge creations per run (docs/anytype-api.md §4).
func (f *Flow) solve(ctx context.Context, name string, ch *auth.Challenge) (*auth.Key, error) {
	retry := ""
	for try := 1; try <= MaxTries; try++ {
		answer, err := f.Prompt(ctx, Request{Name: name, Try: try, MaxTries: MaxTries, Retry: retry})
		if err != nil {
			if errors.Is(err, ErrCanceled) || errors.Is(err, context.Canceled) {
				return nil, ErrCanceled
			}
			return nil, fmt.Errorf("asking for the code: %w", err)
		}
		if answer == "" {
			return nil, ErrCanceled
		}
		code, err := auth.NormalizeCode(answer)
		if err != nil {
			retry = RetryInvalid
			continue
		}
		key, err := f.Client.CreateAPIKey(ctx, ch, code)
		switch {
		case err == nil:
			return key, nil
		case errors.Is(err, auth.ErrCodeRejected):
			retry = RetryRejected
		default:
			return nil, fmt.Errorf("creating the api key: %w", err)
		}
	}
	return nil, ErrTooManyTries
}

func (f *Flow) entry(name string, key *auth.Key) (keystore.Entry, error) {
	now := time.Now
	if f.now != nil {
		now = f.now
	}
	e := keystore.Entry{
		Name:       name,
		APIURL:     f.Client.BaseURL(),
		CreatedAt:  now().UTC().Truncate(time.Second),
		APIVersion: key.APIVersion,
	}
	if key.Grant != nil {
		g, err := json.Marshal(key.Grant)
		if err != nil {
			return e, fmt.Errorf("encoding the grant: %w", err)
		}
		e.Grant = g
	}
	return e, nil
}
