//go:build !linux

package tray

import "context"

// WatchKeychain has nothing to watch outside Linux: Windows' Credential
// Manager is never locked, and the macOS keychain asks for itself.
func WatchKeychain(ctx context.Context, changed func(), logf func(string, ...any)) {}
