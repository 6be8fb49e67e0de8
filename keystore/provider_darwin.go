package keystore

import "context"

// platformProvider: go-keyring uses the login keychain on macOS.
func platformProvider(context.Context) (Provider, error) { return Provider{Name: ProviderMacOS}, nil }
