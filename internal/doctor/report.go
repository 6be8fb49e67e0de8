// Package doctor checks the pieces of this desktop that anykey uses — the
// session bus, the keychain, the notification daemon, the tray host, the
// dialog and clipboard tools, Anytype at each candidate URL, the config,
// start at login and the MCP clients' entries — and says, for each piece
// that is missing, the one thing to do.
//
// It has no UI: [Run] returns a [Report], a plain value that the CLI
// (`anykey doctor`) prints as text or JSON and the tray shows in a dialog.
// Every probe has a deadline and none has side effects: nothing is
// unlocked, no challenge is created, no key is sent, no file is written.
package doctor

import (
	"fmt"
	"io"
	"strings"

	"github.com/anykey-app/anykey/internal/textsafe"
)

// Status is how one piece fared.
type Status string

const (
	// OK: the piece is there and works.
	OK Status = "ok"
	// Info: the piece is not in use, and nothing needs doing (start at
	// login off, anytype-cli not running while the desktop app is).
	Info Status = "info"
	// Warning: an optional piece is missing or broken; pairing and handing
	// keys out still work.
	Warning Status = "warning"
	// Missing: a piece that pairing or handing keys out needs is missing
	// or broken.
	Missing Status = "missing"
)

// Piece names a kind of finding, stable for scripts and tests.
const (
	PieceSessionBus    = "session-bus"
	PieceSecretService = "secret-service"
	PieceNotifications = "notifications"
	PieceTray          = "tray"
	PieceDialogs       = "dialogs"
	PieceClipboard     = "clipboard"
	PieceAnytype       = "anytype"
	PieceConfig        = "config"
	PieceAutostart     = "autostart"
	PieceMCPClient     = "mcp-client"
)

// Finding is what doctor found about one piece.
type Finding struct {
	// Piece is one of the Piece* names; several findings may share one
	// (Anytype at each URL, each MCP client).
	Piece string `json:"piece"`
	// Title is what the piece is called in the text report: "Secret
	// Service", "Anytype".
	Title string `json:"title"`
	// Where tells findings of one piece apart: the API URL, the MCP
	// client; "" when there is one finding.
	Where  string `json:"where,omitempty"`
	Status Status `json:"status"`
	// Found says what is there, in one line: "GNOME Keyring; collection
	// login (the default), unlocked".
	Found string `json:"found"`
	// Fix is the one thing to do when Status is Warning or Missing.
	Fix string `json:"fix,omitempty"`
	// Facts are the details a bug report wants, by name: "pid", "name",
	// "api_version", "listener_owner", "mcp"…
	Facts map[string]string `json:"facts,omitempty"`
}

// Report is every finding, in a fixed order: the desktop's pieces first,
// then Anytype, then anykey's own files.
type Report struct {
	OS       string    `json:"os"`
	Version  string    `json:"version,omitempty"` // anykey's
	Works    bool      `json:"works"`             // see [Report.OK]
	Findings []Finding `json:"findings"`
}

// OK reports whether pairing and handing keys out work here: no finding
// is [Missing].
func (r Report) OK() bool {
	for _, f := range r.Findings {
		if f.Status == Missing {
			return false
		}
	}
	return true
}

// Count returns how many findings have status s.
func (r Report) Count(s Status) int {
	n := 0
	for _, f := range r.Findings {
		if f.Status == s {
			n++
		}
	}
	return n
}

// MissingTitles returns the titles of the [Missing] findings.
func (r Report) MissingTitles() []string {
	var out []string
	for _, f := range r.Findings {
		if f.Status == Missing {
			out = append(out, f.name())
		}
	}
	return out
}

// Find returns the first finding about piece, and whether there is one.
func (r Report) Find(piece string) (Finding, bool) {
	for _, f := range r.Findings {
		if f.Piece == piece {
			return f, true
		}
	}
	return Finding{}, false
}

// WriteText writes the report for a person: one line per finding with its
// status, the fix indented under it, and a closing verdict.
func (r Report) WriteText(w io.Writer) error {
	width := 0
	for _, f := range r.Findings {
		width = max(width, len([]rune(f.Title)))
	}
	var b strings.Builder
	for _, f := range r.Findings {
		title := f.Title + strings.Repeat(" ", width-len([]rune(f.Title)))
		found := f.Found
		if f.Where != "" {
			found = f.Where + ": " + found
		}
		// Findings quote what the machine holds (an address from the
		// environment, a file's path, a program's name): cleaned here.
		fmt.Fprintf(&b, "%-8s %s  %s\n", f.Status, title, textsafe.Terminal(found))
		if f.Fix != "" && (f.Status == Warning || f.Status == Missing) {
			fmt.Fprintf(&b, "%-8s %s  → %s\n", "", strings.Repeat(" ", width), textsafe.Terminal(f.Fix))
		}
	}
	b.WriteString("\n" + r.Verdict() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// name is the finding's title, with Where when there is one.
func (f Finding) name() string {
	if f.Where != "" {
		return f.Title + " at " + f.Where
	}
	return f.Title
}

// Verdict is the report's last line: whether pairing and handing keys out
// work, and how many warnings there are.
func (r Report) Verdict() string {
	warn := ""
	switch n := r.Count(Warning); n {
	case 0:
	case 1:
		warn = " (1 warning)"
	default:
		warn = fmt.Sprintf(" (%d warnings)", n)
	}
	if r.OK() {
		return "Pairing and handing keys out work here" + warn + "."
	}
	return "Pairing or handing keys out cannot work here until this is fixed: " +
		strings.Join(r.MissingTitles(), ", ") + warn + "."
}

// Summary is the report for a dialog, where fonts are proportional and
// columns do not line up: the verdict first, then one line per finding,
// "status — title: found", with its fix on the next line.
func (r Report) Summary() string {
	var b strings.Builder
	b.WriteString(r.Verdict() + "\n")
	for _, f := range r.Findings {
		found := f.Found
		if f.Where != "" {
			found = f.Where + ": " + found
		}
		fmt.Fprintf(&b, "\n%s — %s: %s", f.Status, f.Title, found)
		if f.Fix != "" && (f.Status == Warning || f.Status == Missing) {
			fmt.Fprintf(&b, "\n      → %s", f.Fix)
		}
	}
	return b.String()
}
