//go:build !windows && !darwin

package tray

import "github.com/anykey-app/anykey/icons"

// iconFor returns the tray image for look: PNG, which StatusNotifierItem
// hosts accept; no template image outside macOS.
func iconFor(look Look) (template, img []byte) {
	switch look {
	case LookPairing:
		return nil, icons.Pairing
	case LookUnreachable:
		return nil, icons.Unreachable
	default:
		return nil, icons.Idle
	}
}
