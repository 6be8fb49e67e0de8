package tray

import (
	"fmt"
	"time"

	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/anykey-app/anykey/keystore"
)

// Status is what the last side-effect-free probe learned about Anytype.
type Status int

const (
	// StatusUnknown: no probe has finished yet.
	StatusUnknown Status = iota
	// StatusConnected: Anytype's API answered.
	StatusConnected
	// StatusNotRunning: nothing answered on the API URL(s).
	StatusNotRunning
)

// State is everything the menu is built from. It is a plain value: the App
// copies it under its mutex and hands the copy to [buildMenu].
type State struct {
	Version    string // anykey's version, for About
	Status     Status
	APIVersion string // the server's Anytype-Version header ("" when absent)
	// Foreign is set when nothing answered but an API port is held by
	// another user's program: anykey sent it nothing.
	Foreign   bool
	Pairing   string // name of the key being paired, "" when idle
	Keys      []keystore.Entry
	Autostart bool
	// Clients are the MCP clients set up on this machine, for each key's
	// "Connect to" submenu.
	Clients []Connection
	// Now is the time the menu is built for: it decides which keys are
	// marked expired or expiring (the zero time marks none).
	Now time.Time
}

// Kind says what a menu item does when clicked.
type Kind int

const (
	ActNone Kind = iota
	ActOpenAnytype
	ActNewKey
	ActAddKey
	ActCopyKey
	ActCopyMCP
	ActCopyEnv
	ActVerify
	ActRemove
	ActAutostart
	ActAbout
	ActQuit
	ActConnect
	ActUnlock // read the key once, so the keychain raises its unlock prompt
	ActCheck  // check this desktop (internal/doctor) and show the findings
	ActRotate // pair a new key under the same name
)

var kindNames = [...]string{"none", "open-anytype", "new-key", "add-key", "copy-key",
	"copy-mcp", "copy-env", "verify", "remove", "autostart", "about", "quit", "connect", "unlock", "check", "rotate"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Action is a click: what to do, on which saved key (for per-key items),
// and with which MCP client (for "Connect to" items).
type Action struct {
	Kind   Kind
	Key    string
	Client string
}

// Item describes one menu entry. The renderer in systray.go turns a []Item
// into real menu items and sends Action back when one is clicked.
type Item struct {
	Action    Action
	Label     string
	Enabled   bool
	Checkable bool
	Checked   bool
	Separator bool
	Children  []Item
}

// Menu labels the e2e tests and users see.
const (
	LabelOpenAnytype = "Open Anytype"
	LabelNewKey      = "New API key…"
	LabelAddKey      = "Add existing key…"
	LabelCopyKey     = "Copy key"
	LabelCopyMCP     = "Copy MCP config"
	LabelCopyEnv     = "Copy shell exports"
	// LabelCopyEnvNote is the grey line under Copy shell exports.
	LabelCopyEnvNote = "copies a command that loads the key, not the key"
	LabelVerify      = "Verify"
	LabelRotate      = "Replace with a new key…"
	LabelRemove      = "Remove…"
	LabelConnect     = "Connect to"
	LabelUnlock      = "Unlock keychain…"
	LabelAutostart   = "Start at login"
	LabelCheck       = "Check this desktop…"
	LabelAbout       = "About anykey"
	LabelQuit        = "Quit"
)

// statusLabel is the disabled first line of the menu.
func statusLabel(s State) string {
	switch s.Status {
	case StatusConnected:
		if s.APIVersion == "" {
			// Servers before 2025-04-22 send no Anytype-Version header.
			return "Anytype: connected (older API)"
		}
		return fmt.Sprintf("Anytype: connected (API %s)", s.APIVersion)
	case StatusNotRunning:
		if s.Foreign {
			return "Anytype: port held by another user"
		}
		return "Anytype: not running"
	default:
		return "Anytype: checking…"
	}
}

// keyLabel is the submenu title of a saved key.
// The name comes from keys.json, which anyone with the user's files can
// edit: no control or bidi character reaches the tray host.
//
// A key that has expired, or expires within 7 days, is marked, and so is
// one that works on only one of Anytype's APIs (Limited, or a narrow grant).
func keyLabel(e keystore.Entry, now time.Time) string {
	name := textsafe.Terminal(e.Name)
	switch {
	case e.Invalid != "":
		return name + " (invalid entry in keys.json)"
	case e.State() == keystore.StateMissing:
		return name + " (missing from keychain)"
	case e.State() == keystore.StateLocked:
		return name + " (keychain locked)"
	}
	switch markOf(e, now) {
	case markExpired:
		return name + " (expired)"
	case markExpiring:
		return name + " (expires " + expiryOf(e).Local().Format("Jan 2") + ")"
	}
	if n := kindNote(e); n != "" {
		return name + " (" + n + ")"
	}
	return name
}

func sep() Item { return Item{Separator: true} }

// buildMenu turns state into the whole menu. It is pure: the same state
// always gives the same menu, so it is table-tested without a display.
func buildMenu(s State) []Item {
	items := []Item{{Label: statusLabel(s)}}
	if s.Status == StatusNotRunning {
		items = append(items, Item{Action: Action{Kind: ActOpenAnytype}, Label: LabelOpenAnytype, Enabled: true})
	}
	items = append(items, sep())

	if s.Pairing != "" {
		items = append(items, Item{Action: Action{Kind: ActNewKey}, Label: "Pairing \"" + s.Pairing + "\"…"})
	} else {
		// Enabled even while Anytype is not running: the click explains
		// what to do instead of leaving a dead grey item.
		items = append(items, Item{Action: Action{Kind: ActNewKey}, Label: LabelNewKey, Enabled: true})
	}
	items = append(items, Item{Action: Action{Kind: ActAddKey}, Label: LabelAddKey, Enabled: true})

	if len(s.Keys) > 0 {
		items = append(items, sep())
		for _, e := range s.Keys {
			items = append(items, keyItem(e, s.Clients, s.Now))
		}
	}

	items = append(items, sep(),
		Item{Action: Action{Kind: ActAutostart}, Label: LabelAutostart, Enabled: true, Checkable: true, Checked: s.Autostart},
		Item{Action: Action{Kind: ActCheck}, Label: LabelCheck, Enabled: true},
		Item{Action: Action{Kind: ActAbout}, Label: LabelAbout, Enabled: true},
		Item{Action: Action{Kind: ActQuit}, Label: LabelQuit, Enabled: true},
	)
	return items
}

func keyItem(e keystore.Entry, clients []Connection, now time.Time) Item {
	// A locked key keeps every action: reading it raises the keychain's
	// unlock prompt. Unlock keychain… says so, and does only that. An
	// invalid entry is never handed out (keystore refuses it too).
	has := !e.Missing && e.Invalid == ""
	child := func(k Kind, label string, enabled bool) Item {
		return Item{Action: Action{Kind: k, Key: e.Name}, Label: label, Enabled: enabled}
	}
	var children []Item
	if e.Locked && e.Invalid == "" {
		children = []Item{child(ActUnlock, LabelUnlock, true), sep()}
	}
	children = append(children,
		child(ActCopyKey, LabelCopyKey, has),
		child(ActCopyMCP, LabelCopyMCP, has),
		child(ActCopyEnv, LabelCopyEnv, has),
		child(ActNone, LabelCopyEnvNote, false),
		child(ActVerify, LabelVerify, has),
	)
	if c := connectItem(e, clients); c != nil && e.Invalid == "" {
		children = append(children, *c)
	}
	children = append(children, sep(),
		// Replacing stays possible for a missing secret: it pairs anew.
		child(ActRotate, LabelRotate, e.Invalid == ""),
		// Removing stays possible for a missing secret: it is how the
		// user cleans up the dangling name.
		child(ActRemove, LabelRemove, true))
	return Item{Label: keyLabel(e, now), Enabled: true, Children: children}
}

// Connection is one MCP client set up on this machine (its config
// directory exists) and the key its anytype entry uses.
type Connection struct {
	Client string // mcpconfig id, e.g. "cursor"
	Name   string // label, e.g. "Cursor"
	Key    string // key name of anykey's entry in its file; "" for none
	// Old: that entry is the exec --mask form anykey wrote before mcp
	// serve; choosing the item updates it instead of disconnecting.
	Old bool
}

// labelOld marks a client whose entry is anykey's old form.
const labelOld = " (old entry: update)"

// connectItem is the "Connect to" submenu: one checkable item per client,
// checked when the client holds this key's entry; nil with no clients.
func connectItem(e keystore.Entry, clients []Connection) *Item {
	if len(clients) == 0 {
		return nil
	}
	it := Item{Label: LabelConnect, Enabled: !e.Missing}
	for _, c := range clients {
		label := c.Name
		if c.Old && c.Key == e.Name {
			label += labelOld
		}
		it.Children = append(it.Children, Item{
			Action:  Action{Kind: ActConnect, Key: e.Name, Client: c.Client},
			Label:   label,
			Enabled: !e.Missing, Checkable: true, Checked: c.Key == e.Name,
		})
	}
	return &it
}
