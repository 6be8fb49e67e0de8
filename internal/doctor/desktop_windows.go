package doctor

import (
	"context"

	"github.com/anykey-app/anykey/keystore"
)

// checkDesktop checks the Windows equivalents. Credential Manager, toast
// notifications, the notification area, Win32 dialogs and the clipboard
// are part of Windows: anykey reaches them through system DLLs, not
// programs that may be missing, so each is reported as there; the
// clipboard says whether a copy is kept out of clipboard history.
func checkDesktop(ctx context.Context, o Options) []Finding {
	return []Finding{
		{Piece: PieceSecretService, Title: "Keychain", Status: OK, Found: keystore.ProviderWindows},
		{Piece: PieceNotifications, Title: "Notifications", Status: OK, Found: "Windows toast notifications"},
		{Piece: PieceTray, Title: "Tray", Status: OK, Found: "the notification area (hidden icons may sit under ^)"},
		{Piece: PieceDialogs, Title: "Dialogs", Status: OK, Found: "Win32 dialogs"},
		checkClipboard(ctx, o),
	}
}
