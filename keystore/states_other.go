//go:build !linux

package keystore

import (
	"context"
	"errors"
	"sync"

	"github.com/zalando/go-keyring"
)

// platformStates has no faster way than a Get per name outside Linux:
// macOS and Windows keychains have no cheap attribute search that
// go-keyring exposes (zalando/go-keyring#133). Neither keychain tells a
// locked item from a readable one without reading it, so there is no
// Locked state here.
func platformStates(ctx context.Context, service string, names []string) (map[string]SecretState, error) {
	found, err := presentEach(ctx, service, names)
	if err != nil {
		return nil, err
	}
	out := make(map[string]SecretState, len(found))
	for n := range found {
		out[n] = StatePresent
	}
	return out, nil
}

// platformBus has nothing to check outside Linux: the keychain is no bus.
func platformBus() error { return nil }

// platformSet is go-keyring's Set: the content type of set_linux.go is a
// Secret Service matter.
func platformSet(service, user, secret string) error { return keyring.Set(service, user, secret) }

// platformGreet has nothing to work around outside Linux.
func platformGreet() {}

// platformLocked cannot tell outside Linux.
func platformLocked(context.Context) (bool, error) { return false, nil }

// itemVanished is the Secret Service race of secretservice_linux.go; the
// other keychains delete and read an item in one call, so there is
// nothing to retry.
func itemVanished(error) bool { return false }

// presentEach is the portable presence check: one go-keyring Get per name,
// a few at a time.
func presentEach(ctx context.Context, service string, names []string) (map[string]bool, error) {
	const workers = 8
	var (
		mu       sync.Mutex
		found    = make(map[string]bool, len(names))
		firstErr error
		wg       sync.WaitGroup
		sem      = make(chan struct{}, workers)
	)
	for _, name := range names {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			_, err := keyring.Get(service, name)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				found[name] = true
			case errors.Is(err, keyring.ErrNotFound):
			case firstErr == nil:
				firstErr = err
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return found, ctx.Err()
}
