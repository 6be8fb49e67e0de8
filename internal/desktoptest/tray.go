package desktoptest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// Object paths and interfaces fyne.io/systray exports on Linux.
const (
	sniPath   = dbus.ObjectPath("/StatusNotifierItem")
	sniIface  = "org.kde.StatusNotifierItem"
	menuPath  = dbus.ObjectPath("/StatusNotifierItem/menu")
	menuIface = "com.canonical.dbusmenu"
	pollEvery = 50 * time.Millisecond
)

// Tray is the StatusNotifierItem of one process, driven over D-Bus the way a
// tray host would (no GUI involved).
type Tray struct {
	PID  int
	Name string // org.kde.StatusNotifierItem-<pid>-1
	conn *dbus.Conn
}

// MenuItem is one entry of the tray's dbusmenu layout.
type MenuItem struct {
	ID int32
	// Label is the text a host shows (see [ShownLabel]); RawLabel is the
	// dbusmenu "label" property as sent.
	Label       string
	RawLabel    string
	Type        string // "" for a normal item, "separator"
	Enabled     bool
	Visible     bool
	ToggleType  string // "", "checkmark" or "radio"
	ToggleState int32  // 1 checked, 0 unchecked, -1 not a toggle
	Children    []MenuItem
}

// FindTray waits until the process pid has exported its StatusNotifierItem
// (fyne.io/systray: bus name org.kde.StatusNotifierItem-<pid>-1, its
// properties and its menu all answer) or ctx ends. fyne.io/systray takes the
// name before it exports the properties, so owning the name is not enough.
// It uses the process's shared session bus connection.
func FindTray(ctx context.Context, pid int) (*Tray, error) {
	conn, err := dbus.SessionBus()
	if err != nil {
		return nil, fmt.Errorf("desktoptest: session bus: %w", err)
	}
	return FindTrayOn(ctx, conn, pid)
}

// FindTrayOn is [FindTray] on the bus conn, for tests that start a private
// bus of their own.
func FindTrayOn(ctx context.Context, conn *dbus.Conn, pid int) (*Tray, error) {
	t := &Tray{PID: pid, Name: fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", pid), conn: conn}
	var lastErr error
	for {
		var owned bool
		lastErr = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, t.Name).Store(&owned)
		if lastErr == nil && !owned {
			lastErr = errors.New("name not owned")
		}
		if lastErr == nil {
			_, lastErr = t.Property(ctx, "Status")
		}
		if lastErr == nil {
			_, lastErr = t.Layout(ctx)
		}
		if lastErr == nil {
			return t, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("desktoptest: no tray %s (%v): %w", t.Name, lastErr, ctx.Err())
		case <-time.After(pollEvery):
		}
	}
}

// Layout returns the whole menu (com.canonical.dbusmenu.GetLayout from the
// root, all depths). fyne.io/systray v1.12.2 answers the first GetLayout
// after each menu reset with one level only; Layout asks again until no
// submenu comes back empty.
func (t *Tray) Layout(ctx context.Context) ([]MenuItem, error) {
	for try := 0; ; try++ {
		var rev uint32
		var root struct {
			ID       int32
			Props    map[string]dbus.Variant
			Children []dbus.Variant
		}
		err := t.conn.Object(t.Name, menuPath).CallWithContext(ctx, menuIface+".GetLayout", 0,
			int32(0), int32(-1), []string{}).Store(&rev, &root)
		if err != nil {
			return nil, fmt.Errorf("desktoptest: GetLayout on %s: %w", t.Name, err)
		}
		items, truncated, err := parseChildren(root.Children)
		if err != nil || !truncated || try == 5 {
			return items, err
		}
	}
}

// parseChildren decodes (ia{sv}av) items; truncated reports a submenu sent
// without its children.
func parseChildren(vs []dbus.Variant) (items []MenuItem, truncated bool, err error) {
	items = make([]MenuItem, 0, len(vs))
	for _, v := range vs {
		f, ok := v.Value().([]any) // (ia{sv}av)
		if !ok || len(f) != 3 {
			return nil, false, fmt.Errorf("desktoptest: menu item has signature %s, want (ia{sv}av)", v.Signature())
		}
		id, ok1 := f[0].(int32)
		props, ok2 := f[1].(map[string]dbus.Variant)
		kids, ok3 := f[2].([]dbus.Variant)
		if !ok1 || !ok2 || !ok3 {
			return nil, false, fmt.Errorf("desktoptest: malformed menu item %v", f)
		}
		it := MenuItem{ID: id, Enabled: true, Visible: true, ToggleState: -1} // dbusmenu defaults
		if p, ok := props["label"].Value().(string); ok {
			it.Label, it.RawLabel = ShownLabel(p), p
		}
		if p, ok := props["type"].Value().(string); ok && p != "standard" {
			it.Type = p
		}
		if p, ok := props["enabled"].Value().(bool); ok {
			it.Enabled = p
		}
		if p, ok := props["visible"].Value().(bool); ok {
			it.Visible = p
		}
		if p, ok := props["toggle-type"].Value().(string); ok {
			it.ToggleType = p
		}
		if p, ok := props["toggle-state"].Value().(int32); ok {
			it.ToggleState = p
		}
		if p, ok := props["children-display"].Value().(string); ok && p == "submenu" && len(kids) == 0 {
			truncated = true
		}
		children, trunc, err := parseChildren(kids)
		if err != nil {
			return nil, false, err
		}
		truncated = truncated || trunc
		it.Children = children
		items = append(items, it)
	}
	return items, truncated, nil
}

// ShownLabel is the text a dbusmenu host shows for the label property raw,
// by the com.canonical.dbusmenu rule: "__" is one underscore, any other
// underscore is not shown (it marks the access key that follows).
func ShownLabel(raw string) string {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if raw[i] != '_' {
			b.WriteByte(raw[i])
			continue
		}
		if i+1 < len(raw) && raw[i+1] == '_' {
			b.WriteByte('_')
			i++
		}
	}
	return b.String()
}

// FindItem finds a visible item by its label path: "Quit", or
// "work/Copy key" for the "Copy key" item in the "work" submenu. Labels
// must match exactly; hidden items (left over from a menu rebuild) and
// separators never match.
func FindItem(items []MenuItem, path string) (MenuItem, bool) {
	parts := strings.Split(path, "/")
	for i, label := range parts {
		var found *MenuItem
		for j := range items {
			if items[j].Visible && items[j].Type != "separator" && items[j].Label == label {
				found = &items[j]
				break
			}
		}
		if found == nil {
			return MenuItem{}, false
		}
		if i == len(parts)-1 {
			return *found, true
		}
		items = found.Children
	}
	return MenuItem{}, false
}

// Click sends the "clicked" event to the item at path (see [FindItem]), as
// a tray host does when the user picks it. Clicking a disabled item is an
// error.
func (t *Tray) Click(ctx context.Context, path string) error {
	items, err := t.Layout(ctx)
	if err != nil {
		return err
	}
	it, ok := FindItem(items, path)
	if !ok {
		return fmt.Errorf("desktoptest: no menu item %q in %s", path, Labels(items))
	}
	if !it.Enabled {
		return fmt.Errorf("desktoptest: menu item %q is disabled", path)
	}
	err = t.conn.Object(t.Name, menuPath).CallWithContext(ctx, menuIface+".Event", 0,
		it.ID, "clicked", dbus.MakeVariant(int32(0)), uint32(time.Now().Unix())).Err
	var de dbus.Error
	if errors.As(err, &de) && de.Name == "org.freedesktop.DBus.Error.NoReply" {
		// The bus delivered the click, then the item's process left before
		// its answer went out: what a click on Quit does.
		return nil
	}
	if err != nil {
		return fmt.Errorf("desktoptest: clicking %q: %w", path, err)
	}
	return nil
}

// WaitFor polls the layout until pred accepts it, and returns that layout.
// When ctx ends first it returns the last layout read with the error.
func (t *Tray) WaitFor(ctx context.Context, pred func([]MenuItem) bool) ([]MenuItem, error) {
	var last []MenuItem
	var lastErr error
	for {
		items, err := t.Layout(ctx)
		if err == nil {
			if pred(items) {
				return items, nil
			}
			last, lastErr = items, nil
		} else {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			err := fmt.Errorf("desktoptest: menu never matched; last menu %s: %w", Labels(last), ctx.Err())
			if lastErr != nil {
				err = errors.Join(err, lastErr)
			}
			return last, err
		case <-time.After(pollEvery):
		}
	}
}

// Property reads a StatusNotifierItem property: Title, ToolTip, Status,
// IconPixmap, Menu, ItemIsMenu, ...
func (t *Tray) Property(ctx context.Context, name string) (dbus.Variant, error) {
	var v dbus.Variant
	err := t.conn.Object(t.Name, sniPath).CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0,
		sniIface, name).Store(&v)
	if err != nil {
		return dbus.Variant{}, fmt.Errorf("desktoptest: property %s of %s: %w", name, t.Name, err)
	}
	return v, nil
}

// Labels renders the visible menu compactly for failure messages, e.g.
// [Status (disabled) | work [Copy key | Remove…] | Start at login [x] | Quit].
func Labels(items []MenuItem) string {
	var b strings.Builder
	b.WriteByte('[')
	first := true
	for _, it := range items {
		if !it.Visible {
			continue
		}
		if !first {
			b.WriteString(" | ")
		}
		first = false
		switch {
		case it.Type == "separator":
			b.WriteString("---")
			continue
		default:
			b.WriteString(it.Label)
		}
		if it.ToggleType != "" {
			if it.ToggleState == 1 {
				b.WriteString(" [x]")
			} else {
				b.WriteString(" [ ]")
			}
		}
		if !it.Enabled {
			b.WriteString(" (disabled)")
		}
		if len(it.Children) > 0 {
			b.WriteString(" " + Labels(it.Children))
		}
	}
	b.WriteByte(']')
	return b.String()
}
