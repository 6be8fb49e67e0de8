//go:build cgo || !darwin

package tray

// The only file that imports fyne.io/systray. fyne.io/systray needs cgo on
// macOS only (its darwin file is Objective-C), hence the build line;
// systray_nocgo.go says so at run time instead.

import (
	"context"
	"runtime"
	"sync"

	"fyne.io/systray"
)

// fyneRenderer draws []Item with fyne.io/systray.
type fyneRenderer struct {
	mu   sync.Mutex // one rebuild at a time: ResetMenu + Add* is not atomic
	look Look
	set  bool // look was set at least once
	// closed: systray has ended (its onExit ran). fyne.io/systray v1.12.2
	// closes the shared session bus connection right after onExit
	// (systray_unix.go nativeEnd), and a SetIcon after that panics in
	// godbus's prop.SetMust ("dbus: connection closed by user"): seen when
	// Ctrl-C came during the first render (TestE2ETrayFromTerminal, in the
	// KWallet cell). onExit takes mu, so it waits for a render in flight,
	// and no render starts after it.
	closed bool
}

// Run shows the tray until Quit is clicked or ctx ends. It must be called
// from the main goroutine: fyne.io/systray locks the OS thread in init and
// macOS insists on the main thread for its menu bar.
func Run(ctx context.Context, d Deps) error {
	a, err := NewApp(d)
	if err != nil {
		return err
	}
	idleRuntime()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &fyneRenderer{}
	done := make(chan struct{})
	// fyne.io/systray v1.12.2 (systray_unix.go, register) exports the
	// Title property with the value set before it registers, and drops a
	// SetTitle that lands while it registers (its props are not stored
	// yet): the host then shows no title until the next render. Set before
	// Run, the title is in the exported properties from the start. (No
	// upstream report found; the lost update is visible in the source.)
	// Linux only: the other platforms' SetTitle talks to a native tray that
	// does not exist before Run.
	if runtime.GOOS == "linux" {
		systray.SetTitle("anykey")
	}
	systray.Run(func() {
		go func() {
			defer close(done)
			a.run(ctx, r)
		}()
		go func() {
			<-ctx.Done()
			systray.Quit()
		}()
		go keepRegistered(ctx, a.logf) // a tray host starting after us
	}, func() {
		r.mu.Lock()
		r.closed = true
		r.mu.Unlock()
		cancel()
	})
	cancel()
	<-done
	// Let running handlers end: a dialog still open is closed by its
	// context, and a clipboard helper outlives us by design.
	return nil
}

func (r *fyneRenderer) Quit() { systray.Quit() }

func (r *fyneRenderer) Render(ctx context.Context, items []Item, look Look, tooltip string, click func(Action)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	if !r.set || r.look != look {
		// macOS wants a template image it can tint for light and dark
		// menu bars; the other systems take iconFor's regular image.
		if tmpl, img := iconFor(look); tmpl != nil {
			systray.SetTemplateIcon(tmpl, img)
		} else {
			systray.SetIcon(img)
		}
		r.look, r.set = look, true
	}
	// Linux hosts show the title as the tooltip; set both
	// (tailscale client/systray setTooltip).
	systray.SetTitle("anykey")
	systray.SetTooltip(tooltip)

	// Rebuild the whole menu: items cannot be iterated and separators not
	// removed, so patching is harder than starting over (Tailscale's
	// rebuild()).
	systray.ResetMenu()
	for _, it := range items {
		if it.Separator {
			systray.AddSeparator()
			continue
		}
		var mi *systray.MenuItem
		if it.Checkable {
			mi = systray.AddMenuItemCheckbox(menuLabel(it.Label), "", it.Checked)
		} else {
			mi = systray.AddMenuItem(menuLabel(it.Label), "")
		}
		r.fill(ctx, mi, it, click)
	}
}

// fill sets item state, adds children and routes clicks.
func (r *fyneRenderer) fill(ctx context.Context, mi *systray.MenuItem, it Item, click func(Action)) {
	if !it.Enabled {
		mi.Disable()
	}
	for _, c := range it.Children {
		if c.Separator {
			mi.AddSeparator()
			continue
		}
		var cm *systray.MenuItem
		if c.Checkable {
			cm = mi.AddSubMenuItemCheckbox(menuLabel(c.Label), "", c.Checked)
		} else {
			cm = mi.AddSubMenuItem(menuLabel(c.Label), "")
		}
		r.fill(ctx, cm, c, click)
	}
	if it.Action.Kind == ActNone || len(it.Children) > 0 {
		return
	}
	act := it.Action
	// systray drops a click when nobody is receiving (its send has a
	// default case), so every clickable item has a goroutine waiting. It
	// ends with this build's context, or when ResetMenu closes ClickedCh.
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case _, ok := <-mi.ClickedCh:
				if !ok {
					return
				}
				click(act)
			}
		}
	}()
}
