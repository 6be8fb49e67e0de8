package clip

// Tool says how [Copy] writes the clipboard in this session, for
// `anykey doctor`: what writes it, and whether a copy is marked secret for
// clipboard managers (docs/security.md, "Clipboard managers").
type Tool struct {
	// Name is what writes the clipboard: "anykey (X11 selection owner)",
	// "anykey (Wayland ext_data_control_manager_v1)", "wl-copy", "xclip",
	// "Windows clipboard", "pbcopy", ...
	Name string
	// MarksSecret: a copy carries the mark clipboard managers and
	// clipboard history skip (x-kde-passwordManagerHint on X11 and
	// Wayland, the three formats on Windows, org.nspasteboard.ConcealedType
	// on macOS).
	MarksSecret bool
	// Note says why a copy is not marked, or what else to know; "" when
	// nothing needs saying.
	Note string
}

// Describe finds the clipboard [Copy] would use now, asking the display
// server where it must (one connection, a round trip; at most ~5 s).
// The error is [ErrNoTool] or says why the session's clipboard cannot be
// reached.
func Describe() (Tool, error) { return describe() }
