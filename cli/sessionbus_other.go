//go:build !linux

package cli

// findSessionBus does nothing: only Linux reaches its keychain over D-Bus.
func findSessionBus() string { return "" }
