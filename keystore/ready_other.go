//go:build !linux

package keystore

import "context"

// platformReady has nothing cheap to check outside Linux: the macOS
// Keychain and Windows Credential Manager are part of the user session.
func platformReady(context.Context) error { return nil }
