package tray

import "github.com/anykey-app/anykey/icons"

// iconFor returns the tray image for look: ICO, because the Windows tray
// takes nothing else (fyne.io/systray SetIcon on Windows).
func iconFor(look Look) (template, img []byte) {
	switch look {
	case LookPairing:
		return nil, icons.PairingICO
	case LookUnreachable:
		return nil, icons.UnreachableICO
	default:
		return nil, icons.IdleICO
	}
}
