package doctor

import (
	"os/exec"
	"strings"
)

// dialogTools are the programs the tray's dialogs run, in the order it
// tries them: ncruces/zenity drives zenity, qarma and matedialog, and the
// tray falls back to kdialog (tray.Dialogs).
var dialogTools = []string{"zenity", "qarma", "matedialog", "kdialog"}

// checkDialogs finds the display and the dialog tool the tray asks for
// names and codes with. `anykey pair` asks in the terminal, so a missing
// tool is a warning.
func checkDialogs(getenv func(string) string) Finding {
	f := Finding{Piece: PieceDialogs, Title: "Dialogs", Facts: map[string]string{}}
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		f.Status = Warning
		f.Found = "no display (DISPLAY and WAYLAND_DISPLAY are unset): the tray cannot ask for a code"
		f.Fix = "run the tray inside your desktop session; anykey pair asks in the terminal"
		return f
	}
	for _, t := range dialogTools {
		if p, err := exec.LookPath(t); err == nil {
			f.Facts["tool"] = p
			f.Status, f.Found = OK, t+" ("+p+")"
			return f
		}
	}
	f.Status = Warning
	f.Found = "no dialog tool (" + strings.Join(dialogTools, ", ") + "): the tray cannot ask for a code"
	f.Fix = "install zenity (or kdialog on KDE); anykey pair asks in the terminal meanwhile"
	return f
}
