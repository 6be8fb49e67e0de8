package tray

import "github.com/anykey-app/anykey/icons"

// iconFor returns the template image the menu bar tints for light and dark
// mode, and the colour PNG as the fallback.
func iconFor(look Look) (template, img []byte) {
	switch look {
	case LookPairing:
		return icons.PairingTemplate, icons.Pairing
	case LookUnreachable:
		return icons.UnreachableTemplate, icons.Unreachable
	default:
		return icons.IdleTemplate, icons.Idle
	}
}
