//go:build !linux

package keystore

import (
	"context"
	"errors"
	"sync"

	"github.com/zalando/go-keyring"
)

// platformPresent has no faster way than a Get per name outside Linux:
// macOS and Windows keychains have no cheap attribute search that
// go-keyring exposes (zalando/go-keyring#133).
func platformPresent(ctx context.Context, _, service string, names []string) (map[string]bool, error) {
	return presentEach(ctx, service, names)
}

// platformGet is go-keyring's Get: the raw D-Bus fast path of
// get_linux.go has no counterpart in the other keychains' APIs.
func platformGet(_ context.Context, service, user string) (string, error) {
	return keyring.Get(service, user)
}

// afterSet has nothing to record outside Linux.
func afterSet(string, string, string) {}

// itemVanished is the Secret Service race of present_linux.go; the other
// keychains delete and read an item in one call, so there is nothing to
// retry.
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
