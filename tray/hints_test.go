package tray

import (
	"strings"
	"testing"

	"github.com/anykey-app/anykey/keystore"
)

// menuLabels is every label the menu can show: the menus of a state with
// every kind of item (not running, a locked key, a missing one, MCP
// clients) and of a connected one.
func menuLabels() map[string]bool {
	out := map[string]bool{}
	var walk func([]Item)
	walk = func(items []Item) {
		for _, it := range items {
			if it.Label != "" {
				out[it.Label] = true
			}
			walk(it.Children)
		}
	}
	keys := []keystore.Entry{{Name: "k", Locked: true}, {Name: "m", Missing: true}, {Name: "ok"}}
	clients := []Connection{{Client: "cursor", Name: "Cursor"}}
	walk(buildMenu(State{Status: StatusNotRunning, Keys: keys, Clients: clients}))
	walk(buildMenu(State{Status: StatusConnected, Keys: keys, Clients: clients}))
	return out
}

// checkHintsNameItems fails when a notification or dialog names a menu
// item ("… Choose New API key… to start again") that the menu never has:
// issue 22's "Unlock keychain…" and "Replace with a new key…" hints named
// items that were not there. Every item name ends in "…".
func (e *env) checkHintsNameItems(t *testing.T) {
	labels := menuLabels()
	var texts []string
	for _, n := range e.notes.all() {
		texts = append(texts, n.Title, n.Body)
	}
	for _, d := range e.prompt.dialogs() {
		texts = append(texts, d.Title, d.Text)
	}
	for _, s := range texts {
		for i := strings.Index(s, "…"); i >= 0; {
			end := i + len("…")
			found := false
			for l := range labels {
				found = found || strings.HasSuffix(l, "…") && strings.HasSuffix(s[:end], l)
			}
			if !found && !strings.HasSuffix(s[:end], "\"…") { // "Pairing "name"…" is the label of a running pairing
				t.Errorf("%q names an item the menu does not have (…%s)", s, s[max(0, i-30):end])
			}
			next := strings.Index(s[end:], "…")
			if next < 0 {
				break
			}
			i = end + next
		}
	}
}

func TestHintCheckerCatchesMissingItems(t *testing.T) {
	labels := menuLabels()
	for _, l := range []string{LabelNewKey, LabelAddKey, LabelUnlock, LabelRemove, LabelCheck, LabelRotate} {
		if !labels[l] {
			t.Errorf("menuLabels lacks %q", l)
		}
	}
	// The expired-key hint names the item it can: Replace with a new key…
	// when the key's submenu has it, else New API key….
	if h := expiredHint(true); !strings.Contains(h, LabelRotate) {
		t.Errorf("expired hint with the item: %q", h)
	}
	if h := expiredHint(false); !strings.Contains(h, LabelNewKey) || strings.Contains(h, LabelRotate) {
		t.Errorf("expired hint without the item: %q", h)
	}
}
