package tray

import (
	"slices"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/keystore"
)

// labels flattens a menu to "label" lines, children indented, separators as "--",
// disabled items suffixed with " [off]" and checkboxes with "[x]"/"[ ]".
func labels(items []Item, indent string) []string {
	var out []string
	for _, it := range items {
		if it.Separator {
			out = append(out, indent+"--")
			continue
		}
		l := indent + it.Label
		if it.Checkable {
			if it.Checked {
				l += " [x]"
			} else {
				l += " [ ]"
			}
		}
		if !it.Enabled {
			l += " [off]"
		}
		out = append(out, l)
		out = append(out, labels(it.Children, indent+"  ")...)
	}
	return out
}

func findItem(items []Item, label string) (Item, bool) {
	for _, it := range items {
		if it.Label == label {
			return it, true
		}
		if c, ok := findItem(it.Children, label); ok {
			return c, true
		}
	}
	return Item{}, false
}

func TestBuildMenu(t *testing.T) {
	t.Parallel()
	work := keystore.Entry{Name: "work"}
	gone := keystore.Entry{Name: "old", Missing: true}
	// A name typed into keys.json: bidi override, escape and a newline.
	evil := keystore.Entry{Name: "evil\u202e\x1b[31m\nname", Invalid: "api_url is not a local Anytype address"}
	keySub := func(enabled bool) []string {
		off := ""
		if !enabled {
			off = " [off]"
		}
		return []string{
			"  Copy key" + off, "  Copy MCP config" + off, "  Copy shell exports" + off,
			"  " + LabelCopyEnvNote + " [off]", "  Verify" + off, "  --", "  Replace with a new key…", "  Remove…",
		}
	}
	// An invalid entry is not replaced either: its name or URL is not one
	// anykey would pair for.
	invalidSub := slices.Clone(keySub(false))
	invalidSub[6] += " [off]"
	tail := []string{"--", "Start at login [ ]", "Check this desktop…", "About anykey", "Quit"}
	cases := []struct {
		name  string
		state State
		want  []string
	}{
		{
			name:  "connected, no keys",
			state: State{Status: StatusConnected, APIVersion: "2025-11-08"},
			want: slices.Concat([]string{"Anytype: connected (API 2025-11-08) [off]", "--",
				"New API key…", "Add existing key…"}, tail),
		},
		{
			name:  "connected without a version header",
			state: State{Status: StatusConnected},
			want: slices.Concat([]string{"Anytype: connected (older API) [off]", "--",
				"New API key…", "Add existing key…"}, tail),
		},
		{
			name:  "not running offers Open Anytype and keeps New API key clickable",
			state: State{Status: StatusNotRunning},
			want: slices.Concat([]string{"Anytype: not running [off]", "Open Anytype", "--",
				"New API key…", "Add existing key…"}, tail),
		},
		{
			name:  "before the first probe",
			state: State{},
			want: slices.Concat([]string{"Anytype: checking… [off]", "--",
				"New API key…", "Add existing key…"}, tail),
		},
		{
			name:  "pairing disables the item and names the key",
			state: State{Status: StatusConnected, APIVersion: "2025-05-20", Pairing: "laptop"},
			want: slices.Concat([]string{"Anytype: connected (API 2025-05-20) [off]", "--",
				`Pairing "laptop"… [off]`, "Add existing key…"}, tail),
		},
		{
			name:  "an invalid entry is flagged, its name cleaned, nothing handed out",
			state: State{Status: StatusConnected, APIVersion: "2025-11-08", Keys: []keystore.Entry{evil}},
			want: slices.Concat([]string{"Anytype: connected (API 2025-11-08) [off]", "--",
				"New API key…", "Add existing key…", "--",
				"evil  [31m name (invalid entry in keys.json)"}, invalidSub, tail),
		},
		{
			name:  "keys get a submenu each, a missing secret says so",
			state: State{Status: StatusConnected, APIVersion: "2025-11-08", Keys: []keystore.Entry{gone, work}, Autostart: true},
			want: slices.Concat([]string{"Anytype: connected (API 2025-11-08) [off]", "--",
				"New API key…", "Add existing key…", "--",
				"old (missing from keychain)"}, keySub(false), []string{"work"}, keySub(true),
				[]string{"--", "Start at login [x]", "Check this desktop…", "About anykey", "Quit"}),
		},
	}
	// A locked key keeps every action (each raises the unlock prompt),
	// and says how to unlock first.
	locked := keystore.Entry{Name: "home", Locked: true}
	cases = append(cases, struct {
		name  string
		state State
		want  []string
	}{
		name:  "a locked key offers Unlock keychain… and keeps its actions",
		state: State{Status: StatusConnected, APIVersion: "2025-11-08", Keys: []keystore.Entry{gone, locked, work}},
		want: slices.Concat([]string{"Anytype: connected (API 2025-11-08) [off]", "--",
			"New API key…", "Add existing key…", "--",
			"old (missing from keychain)"}, keySub(false),
			[]string{"home (keychain locked)", "  Unlock keychain…", "  --"}, keySub(true),
			[]string{"work"}, keySub(true), tail),
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := labels(buildMenu(tc.state), "")
			if !slices.Equal(got, tc.want) {
				t.Errorf("menu:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestBuildMenuActions(t *testing.T) {
	t.Parallel()
	s := State{Status: StatusNotRunning, Keys: []keystore.Entry{{Name: "a"}, {Name: "b"}}}
	items := buildMenu(s)
	cases := []struct {
		label string
		want  Action
	}{
		{"Open Anytype", Action{Kind: ActOpenAnytype}},
		{"New API key…", Action{Kind: ActNewKey}},
		{"Add existing key…", Action{Kind: ActAddKey}},
		{"Start at login", Action{Kind: ActAutostart}},
		{"About anykey", Action{Kind: ActAbout}},
		{"Quit", Action{Kind: ActQuit}},
	}
	for _, tc := range cases {
		t.Run(tc.label, func(t *testing.T) {
			t.Parallel()
			it, ok := findItem(items, tc.label)
			if !ok {
				t.Fatalf("no item %q", tc.label)
			}
			if it.Action != tc.want {
				t.Errorf("action = %+v, want %+v", it.Action, tc.want)
			}
		})
	}
	// Per-key items carry their key's name, not the first key's.
	b, _ := findItem(items, "b")
	for _, c := range b.Children {
		if !c.Separator && c.Action.Key != "b" {
			t.Errorf("%q under b acts on %q", c.Label, c.Action.Key)
		}
	}
	if s := (Kind(99)).String(); s != "kind(99)" {
		t.Errorf("Kind(99) = %q", s)
	}
}
