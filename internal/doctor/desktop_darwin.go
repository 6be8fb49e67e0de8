package doctor

import (
	"context"
	"os/exec"

	"github.com/anykey-app/anykey/keystore"
)

// checkDesktop checks the macOS equivalents: the login keychain (through
// the security tool go-keyring runs), notifications and dialogs (both
// through osascript, as beeep and ncruces/zenity use it) and the
// clipboard (pbcopy). The menu bar always shows status items.
func checkDesktop(ctx context.Context, o Options) []Finding {
	return []Finding{
		tool(PieceSecretService, "Keychain", "security", keystore.ProviderMacOS+" (security)", Missing,
			"the security tool is missing: reinstall macOS's command line tools"),
		tool(PieceNotifications, "Notifications", "osascript", "Notification Center (osascript)", Warning,
			"osascript is missing: notifications cannot be shown"),
		{Piece: PieceTray, Title: "Menu bar", Status: OK, Found: "status items are always shown"},
		tool(PieceDialogs, "Dialogs", "osascript", "osascript", Warning,
			"osascript is missing: the tray cannot ask for a code; anykey pair asks in the terminal"),
		checkClipboard(ctx, o),
	}
}

func tool(piece, title, name, found string, bad Status, fix string) Finding {
	f := Finding{Piece: piece, Title: title}
	if p, err := exec.LookPath(name); err == nil {
		f.Status, f.Found, f.Facts = OK, found, map[string]string{"tool": p}
		return f
	}
	f.Status, f.Found, f.Fix = bad, name+" not found", fix
	return f
}
