package doctor

import (
	"context"
	"os/exec"
	"regexp"
	"strconv"
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

// checkClipboard finds the clipboard tool anykey copies with (as
// atotto/clipboard picks it: wl-copy under Wayland, else xclip, else
// xsel) and says whether it can mark a copy secret, so clipboard managers
// keep it out of their history (docs/security.md).
func checkClipboard(ctx context.Context, o Options) Finding {
	f := Finding{Piece: PieceClipboard, Title: "Clipboard", Facts: map[string]string{}}
	getenv := o.Getenv
	var tools []string
	switch {
	case getenv("WAYLAND_DISPLAY") != "":
		tools = []string{"wl-copy", "xclip", "xsel"}
	case getenv("DISPLAY") != "":
		tools = []string{"xclip", "xsel"}
	default:
		f.Status = Warning
		f.Found = "no display to copy to (DISPLAY and WAYLAND_DISPLAY are unset)"
		f.Fix = "use anykey get, env or exec here; copy works inside your desktop session"
		return f
	}
	for _, t := range tools {
		p, err := exec.LookPath(t)
		if err != nil {
			continue
		}
		f.Facts["tool"] = p
		f.Status = OK
		marks := secretMark(ctx, t, p)
		f.Facts["marks_secret"] = strconv.FormatBool(marks != "")
		if marks != "" {
			f.Found = t + "; " + marks
		} else {
			f.Found = t + "; cannot mark a copy secret, so a clipboard manager may keep the key in its history"
		}
		return f
	}
	f.Status = Warning
	f.Found = "no clipboard tool (" + strings.Join(tools, ", ") + "): Copy key cannot work"
	f.Fix = "install xclip (X11) or wl-clipboard (Wayland); anykey get, env and exec work meanwhile"
	return f
}

// secretMark says how tool can mark a copy secret, "" when it cannot:
// xclip and xsel offer one target per copy; wl-copy from 2.3.0 has
// --sensitive (wl-clipboard's NEWS).
func secretMark(ctx context.Context, tool, path string) string {
	if tool != "wl-copy" {
		return ""
	}
	cctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	out, err := exec.CommandContext(cctx, path, "--version").Output()
	if err != nil {
		return ""
	}
	// Compiled here, not at init: init runs on every command.
	m := regexp.MustCompile(`(\d+)\.(\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		return ""
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	if major > 2 || major == 2 && minor >= 3 {
		return "can mark a copy sensitive (wl-copy --sensitive)"
	}
	return ""
}
