package tray

import (
	"encoding/json"
	"strings"

	"github.com/anykey-app/anykey/keystore"
)

// scopedNote warns, in a notification body, when the key with this saved
// grant works only on Anytype's /v2 API: anytype-mcp and other /v1 tools
// get 403 v1_not_available_for_scoped_keys with it. "" otherwise.
func scopedNote(grant json.RawMessage) string {
	if kindNote(keystore.Entry{Grant: grant}) != "/v2 only" {
		return ""
	}
	return "This key is scoped: it works only on Anytype's /v2 API, and anytype-mcp and other /v1 tools get 403 with it."
}

// copySecretNote puts text (a key, or lines containing it) on the
// clipboard, cleared after ClearAfter, and says so: what is the
// notification's title, note (such as [scopedNote], "" for none) goes
// before the clipboard note.
func (a *App) copySecretNote(text, what, note string) bool {
	if !a.copyText(text, a.d.ClearAfter) {
		return false
	}
	a.notify(what, strings.TrimSpace(note+" "+a.clearNote()))
	return true
}
