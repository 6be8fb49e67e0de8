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
	"strings"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/keystore"
)

// MaxTries is the most codes sent to Anytype on one challenge (newer
// servers drop a challenge after 5 wrong codes).
const MaxTries = 5

// MaxInvalid is the most answers refused locally (not a 4-digit code) on
// one challenge. They never reach Anytype and do not count as tries, but a
// script feeding garbage must not be asked for ever.
const MaxInvalid = 5

// Retry reasons shown to the user when the code is asked again.
const (
	RetryInvalid = "that is not a 4-digit code (nothing was sent to Anytype)"
	RetryEmpty   = "no code was typed (nothing was sent to Anytype)"
	// RetryRejected: newer Anytype answers a code typed before the user
	// allowed the request exactly as a wrong one (docs/anytype-api.md §6).
	RetryRejected = "Anytype did not accept that code: if Anytype asks you to allow the request, answer that first; otherwise the code was wrong or has expired"
)

// Client is the part of *auth.Client the flow needs.
type Client interface {
	BaseURL() string
	CreateChallenge(ctx context.Context, appName string) (*auth.Challenge, error)
	CreateAPIKey(ctx context.Context, ch *auth.Challenge, code string) (*auth.Key, error)
}

// prober is the side-effect-free check *auth.Client has (POST
// /v1/auth/challenges with {} answers 400 and creates nothing).
type prober interface {
	Probe(ctx context.Context) (auth.Server, error)
}

// Request is what a [Prompt] is asked for.
type Request struct {
	Name     string // key name (also the app_name Anytype shows)
	Try      int    // 1-based number of the code that would go to Anytype next
	MaxTries int
	// Retry says why the code is asked again: "" on the first try, else a
	// user-facing reason such as "Anytype did not accept that code" or
	// "the code must be exactly 4 digits".
	Retry string
}

// Prompt asks the user for the code. An error ends the flow ([ErrCanceled]
// when the user cancelled: Cancel, Esc, Ctrl-C, the end of stdin); an
// empty answer is asked again.
type Prompt func(ctx context.Context, r Request) (string, error)

var (
	ErrCanceled = errors.New("pairing cancelled")
	// ErrTooManyTries: Anytype refused MaxTries codes on one challenge.
	// Whether it counted them is unknown: newer Anytype does not count a
	// code typed before the user allowed the request, and answers it
	// with the same 500 as a wrong one.
	ErrTooManyTries = errors.New("anytype did not accept any of the codes sent on this pairing request")
	// ErrTooManyInvalid: MaxInvalid answers were not a 4-digit code. No
	// code reached Anytype; its request is still open there.
	ErrTooManyInvalid = errors.New("too many answers that are not a 4-digit code")
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
	// Answerable, if set, is asked right before the challenge is created,
	// after the keychain was found ready: an error from it ends the flow
	// with nothing asked of Anytype (the CLI's stdin at its end: no code
	// could ever be typed, so a challenge would be spent for nothing).
	Answerable func() error
	// Started, if set, is called once the challenge exists (before the first
	// prompt) so the front end can tell the user to look at Anytype.
	Started func(ch *auth.Challenge)

	now func() time.Time // test hook; time.Now when nil
}

// Pair refuses an existing name unless force (before any request), starts one
// challenge, asks for codes, and saves the key under name. It returns the
// saved entry and the key.
func (f *Flow) Pair(ctx context.Context, name string, force bool) (keystore.Entry, *auth.Key, error) {
	if err := keystore.ValidateNewName(name); err != nil {
		return keystore.Entry{}, nil, err
	}
	name = keystore.NormalizeName(name)
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

	// The same reason: a key Anytype mints that cannot be saved is a
	// challenge spent for nothing, so check cheaply, without touching a
	// secret, that the keychain can take it.
	if err := keystore.Ready(ctx, f.Store); err != nil {
		return keystore.Entry{}, nil, fmt.Errorf("checking the keychain before pairing: %w", err)
	}

	if f.Answerable != nil {
		// Anytype first (a probe creates nothing), so that a server that
		// is down or not Anytype is named before the input is blamed.
		if p, ok := f.Client.(prober); ok {
			if _, err := p.Probe(ctx); err != nil {
				return keystore.Entry{}, nil, fmt.Errorf("starting pairing: %w", err)
			}
		}
		if err := f.Answerable(); err != nil {
			return keystore.Entry{}, nil, err
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
// Only codes sent to Anytype count against MaxTries; an answer refused
// locally counts against MaxInvalid.
func (f *Flow) solve(ctx context.Context, name string, ch *auth.Challenge) (*auth.Key, error) {
	retry := ""
	sent, invalid := 0, 0
	for sent < MaxTries {
		answer, err := f.Prompt(ctx, Request{Name: name, Try: sent + 1, MaxTries: MaxTries, Retry: retry})
		if err == nil && strings.TrimSpace(answer) == "" {
			// Enter or OK on an empty field is not a cancel: only Cancel,
			// Esc and Ctrl-C are. It counts as an answer refused here, so a
			// script feeding empty lines still ends.
			if invalid++; invalid >= MaxInvalid {
				return nil, fmt.Errorf("%w: %d answers were not a 4-digit code, %s", ErrTooManyInvalid, invalid, sentText(sent))
			}
			retry = RetryEmpty
			continue
		}
		if err != nil {
			if errors.Is(err, ErrCanceled) || errors.Is(err, context.Canceled) {
				return nil, canceled(sent, invalid)
			}
			return nil, fmt.Errorf("asking for the code: %w", err)
		}
		code, err := auth.NormalizeCode(answer)
		if err != nil {
			if invalid++; invalid >= MaxInvalid {
				return nil, fmt.Errorf("%w: %d answers were not a 4-digit code, %s", ErrTooManyInvalid, invalid, sentText(sent))
			}
			retry = RetryInvalid
			continue
		}
		sent++
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

// canceled is ErrCanceled with what happened before, when that was more
// than nothing: a person reading "cancelled" after typing five answers
// should learn that none of them reached Anytype.
func canceled(sent, invalid int) error {
	if invalid == 0 {
		return ErrCanceled
	}
	return fmt.Errorf("%w after %d %s that %s not a 4-digit code; %s", ErrCanceled, invalid,
		plural(invalid, "answer", "answers"), plural(invalid, "was", "were"), sentText(sent))
}

func sentText(sent int) string {
	if sent == 0 {
		return "no code reached Anytype"
	}
	return fmt.Sprintf("%d %s reached Anytype", sent, plural(sent, "code", "codes"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
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
		e.Kind = string(auth.KindScoped) // only scoped keys carry a grant
	}
	return e, nil
}
