// Package tray is anykey's tray front end: a menu to pair with Anytype, add,
// copy, verify and remove saved keys, and toggle start at login.
//
// It is a thin adapter over the UI-free core (packages auth, keystore and
// pairing). [App] holds the state; the pure buildMenu turns it into a menu
// description; the action handlers run each click in its own goroutine with
// a deadline, through the small interfaces declared here ([Client],
// [Notifier], [Prompter], [Copier], [Autostart], [Opener]). Only systray.go
// imports fyne.io/systray and only notify.go imports beeep.
//
// Start with [Run] (from the main goroutine) and [Lock].
package tray

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/doctor"
	"github.com/anykey-app/anykey/keystore"
	"github.com/anykey-app/anykey/pairing"
)

// Client is the part of *auth.Client the tray needs.
type Client interface {
	pairing.Client
	Probe(ctx context.Context) (auth.Server, error)
	Verify(ctx context.Context, key string) (auth.Validity, error)
	Check(ctx context.Context, key string) (auth.CheckResult, error)
}

// Copier puts a secret on the clipboard and clears it after clearAfter if
// it still holds the secret (clip.Copy).
type Copier interface {
	Copy(secret string, clearAfter time.Duration) error
}

// Autostart switches start at login (package packaging).
type Autostart interface {
	Enabled() (bool, error)
	Enable() error
	Disable() error
}

// Opener opens a URL with the system's handler for its scheme.
type Opener interface {
	Open(url string) error
}

// Deps is what an [App] works with. Every field but Log is required.
type Deps struct {
	Version string
	Store   keystore.Store
	// WatchKeychain calls changed whenever the keychain is locked or
	// unlocked ([WatchKeychain] watches the Secret Service's signals); nil:
	// no watch. Unit tests leave it nil: their session bus is shared with
	// other tests that lock and unlock the keyring, whose signals made them
	// count keychain reads they did not cause (seen in CI).
	WatchKeychain func(ctx context.Context, changed func(), logf func(string, ...any))
	// IndexPath is keys.json, watched so keys the CLI adds or removes show
	// up; "" disables the watch.
	IndexPath string
	// APIURLs are tried in order by the status probe; the first that
	// answers is used for pairing and adding keys.
	APIURLs    []string
	NewClient  func(baseURL string) (Client, error)
	Notifier   Notifier
	Prompter   Prompter
	Copier     Copier
	ClearAfter time.Duration // 0: never clear
	Autostart  Autostart
	Opener     Opener
	// HasTrayHost reports whether a tray host shows icons; nil means yes.
	HasTrayHost func() bool
	// MCP, when set, fills each key's "Connect to" submenu.
	MCP Connector
	// CheckDesktop checks every piece anykey uses (doctor.Run) for
	// Check this desktop…; nil says the check is not available.
	CheckDesktop func(ctx context.Context) doctor.Report
	Log          io.Writer
}

// Timing of the status probe. Variables so tests can shorten them.
var (
	// statusEvery is the time between two probes. Anytype starting or
	// stopping must show within 10 s (issues 3 and 13): a probe, the
	// rebuild and the tray host's redraw take the rest. Each probe costs
	// about 7 wake-ups, so a 30 s window holds 3 or, less often, 4.
	statusEvery = 9 * time.Second
	probeWait   = 2 * time.Second // loopback answers in ms; this is generous
)

// Look is the tray icon's state.
type Look int

const (
	LookIdle Look = iota
	LookPairing
	LookUnreachable
)

// renderer shows a menu; systray.go has the real one, tests a fake.
type renderer interface {
	// Render replaces the whole menu. Click goroutines it starts must end
	// when ctx is done (the next Render cancels it).
	Render(ctx context.Context, items []Item, look Look, tooltip string, click func(Action))
	Quit()
}

// App is the tray's state and behaviour, independent of the toolkit.
type App struct {
	d Deps

	mu          sync.Mutex // guards everything below
	state       State
	apiURL      string    // the candidate that answered last
	lastProbe   time.Time // when the status was last refreshed
	foreign     error     // last probe found a port held by another user (*auth.ListenerError)
	busy        bool      // a name/pairing/add dialog sequence is running
	buildCancel context.CancelFunc
	shown       *shownMenu // what the renderer shows now; nil before the first build
	r           renderer

	marks     map[string]expiryMark // each key's expiry mark as last checked
	announced map[string]expiryMark // the strongest mark already notified, per key

	rebuildCh chan struct{} // buffered(1): triggers collapse into one rebuild
	timing    timing
	wg        sync.WaitGroup
}

// NewApp checks d and returns an App ready for [App.run].
func NewApp(d Deps) (*App, error) {
	switch {
	case d.Store == nil, d.NewClient == nil, d.Notifier == nil, d.Prompter == nil,
		d.Copier == nil, d.Autostart == nil, d.Opener == nil, len(d.APIURLs) == 0:
		return nil, fmt.Errorf("tray: incomplete dependencies")
	}
	if d.Log == nil {
		d.Log = io.Discard
	}
	return &App{d: d, state: State{Version: d.Version}, rebuildCh: make(chan struct{}, 1),
		timing: timing{probeEvery: statusEvery, wireRecheck: wireRecheck, wireMinLife: wireMinLife, promptFloor: time.Second}}, nil
}

// trigger asks for a rebuild without blocking; pending triggers collapse.
func (a *App) trigger() {
	select {
	case a.rebuildCh <- struct{}{}:
	default:
	}
}

func (a *App) logf(format string, args ...any) {
	fmt.Fprintf(a.d.Log, "anykey: "+format+"\n", args...)
}

// run drives the app until ctx ends: the first menu at once, then the
// status and keys.json watchers, and a rebuild for every trigger.
//
// Idle, nothing here wakes the process but the status probe: keys.json is
// watched by the OS (watch.go), the loop and the click goroutines block on
// channels, and no timer is pending between probes (docs/performance.md).
func (a *App) run(ctx context.Context, r renderer) {
	a.mu.Lock()
	a.r = r
	a.mu.Unlock()

	var index *indexWatcher
	if a.d.IndexPath != "" {
		// The keystore creates the directory (0700) with the first key;
		// creating it now lets the watch sit on it rather than on an
		// ancestor such as ~/.config, where other programs' files would
		// wake the tray. If that fails, the watch copes.
		if err := os.MkdirAll(filepath.Dir(a.d.IndexPath), 0o700); err != nil {
			a.logf("creating the config directory: %v", err)
		}
		// Before the first list, so a change made meanwhile is not missed.
		index = watchIndex(a.d.IndexPath, a.logf)
	}
	a.loadKeys(ctx)
	a.rebuild(ctx)
	if a.d.HasTrayHost != nil {
		a.goAction(func() {
			if !a.d.HasTrayHost() {
				a.notify("anykey runs, but this desktop shows no tray icons",
					"On GNOME, install the AppIndicator extension (gnome-shell-extension-appindicator) and log in again; on other desktops, enable a StatusNotifierItem tray. Meanwhile the command line works: run anykey help.")
			}
		})
	}
	a.goAction(func() { a.watchStatus(ctx) })
	// One goroutine reads the keys, so two reads never race to set the
	// list; changes seen while it reads collapse into one more. keys.json
	// changing and the keychain being locked or unlocked both mean a read.
	changed := make(chan struct{}, 1)
	keysChanged := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	if index != nil {
		a.goAction(func() { index.run(ctx, keysChanged) })
	}
	if a.d.WatchKeychain != nil {
		a.goAction(func() { a.d.WatchKeychain(ctx, keysChanged, a.logf) })
	}
	if w := a.watchAutostart(); w != nil {
		// The checkbox is read on every rebuild: a change is a rebuild.
		a.goAction(func() { w.run(ctx, a.trigger) })
	}
	a.goAction(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-changed:
				a.loadKeys(ctx)
				a.trigger()
			}
		}
	})

	for {
		select {
		case <-ctx.Done():
			a.mu.Lock()
			if a.buildCancel != nil {
				a.buildCancel()
			}
			a.mu.Unlock()
			return
		case <-a.rebuildCh:
			a.rebuild(ctx)
		}
	}
}

// watchAutostart watches the start-at-login entry's file, when it is one
// (not Windows' registry value), so `anykey autostart on|off` shows in the
// menu within 2 s, as keys do. Its directory is created first (0755, as
// enabling does), so the watch sits on it rather than on the config dir,
// where other programs' files would wake the tray.
func (a *App) watchAutostart() *indexWatcher {
	p, ok := a.d.Autostart.(interface{ Path() (string, error) })
	if !ok {
		return nil
	}
	path, err := p.Path()
	if err != nil || !filepath.IsAbs(path) {
		return nil
	}
	// The config dir is private (0700 when anykey makes it); the
	// autostart dir inside it is conventionally 0755.
	os.MkdirAll(filepath.Dir(filepath.Dir(path)), 0o700)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		a.logf("creating the autostart directory: %v", err)
	}
	return watchIndex(path, a.logf)
}

// rebuild renders the menu for the current state, cancelling the previous
// menu's click goroutines.
func (a *App) rebuild(ctx context.Context) {
	// The checkbox shows the real state on every build: the user may have
	// removed the autostart file by hand, or the CLI may have toggled it.
	on, err := a.d.Autostart.Enabled()
	if err != nil {
		a.logf("start at login: %v", err)
	}
	a.mu.Lock()
	a.state.Autostart = on && err == nil
	s := a.state
	s.Now = time.Now()
	s.Keys = append([]keystore.Entry(nil), a.state.Keys...)
	look := LookIdle
	switch {
	case s.Pairing != "":
		look = LookPairing
	case s.Status == StatusNotRunning:
		look = LookUnreachable
	}
	next := &shownMenu{items: buildMenu(s), look: look, tooltip: "anykey — " + statusLabel(s)}
	// A trigger whose state renders the same menu (the tray's own keys.json
	// write seen by the watcher, a status refresh that changed nothing
	// visible) leaves the menu alone: re-rendering an identical menu makes
	// an open menu flicker and can swallow a click that lands between
	// ResetMenu and the new items.
	if a.shown != nil && a.shown.equal(next) {
		a.mu.Unlock()
		return
	}
	a.shown = next
	if a.buildCancel != nil {
		a.buildCancel()
	}
	bctx, cancel := context.WithCancel(ctx)
	a.buildCancel = cancel
	r := a.r
	a.mu.Unlock()

	r.Render(bctx, next.items, next.look, next.tooltip, a.Click)
}

// shownMenu is one rendered menu, kept to skip identical rebuilds.
type shownMenu struct {
	items   []Item
	look    Look
	tooltip string
}

func (m *shownMenu) equal(o *shownMenu) bool {
	return m.look == o.look && m.tooltip == o.tooltip && reflect.DeepEqual(m.items, o.items)
}

// Click runs the handler for action off the caller's goroutine, so the
// toolkit's click loop never waits for a dialog, HTTP or the keychain.
func (a *App) Click(act Action) {
	if act.Kind == ActQuit {
		a.mu.Lock()
		r := a.r
		a.mu.Unlock()
		r.Quit()
		return
	}
	a.goAction(func() { a.handle(context.Background(), act) })
}

func (a *App) goAction(f func()) {
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		f()
	}()
}

// wait blocks until every running handler returned (tests, and Quit).
func (a *App) wait() { a.wg.Wait() }

// snapshot returns a copy of the state.
func (a *App) snapshot() State {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.state
	s.Keys = append([]keystore.Entry(nil), a.state.Keys...)
	return s
}

// refreshStatus probes the API URLs without side effects (auth.Client.Probe
// never creates a challenge), and rebuilds the menu only if the status
// changed. It returns the client that answered, or nil. A probe made for
// pairing postpones the next periodic one ([App.watchStatus]).
func (a *App) refreshStatus(ctx context.Context) Client {
	a.mu.Lock()
	a.lastProbe = time.Now()
	a.mu.Unlock()

	status, version, url := StatusNotRunning, "", ""
	var answered Client
	var foreign error // a port held by another user's program
	for _, u := range a.d.APIURLs {
		c, err := a.d.NewClient(u)
		if err != nil {
			a.logf("api url %s: %v", u, err)
			continue
		}
		pctx, cancel := context.WithTimeout(ctx, probeWait)
		srv, err := c.Probe(pctx)
		cancel()
		if err == nil {
			status, version, url, answered = StatusConnected, srv.APIVersion, u, c
			break
		}
		var le *auth.ListenerError
		if errors.As(err, &le) && foreign == nil {
			foreign = le
		}
	}
	a.mu.Lock()
	a.foreign = foreign
	isForeign := foreign != nil && status != StatusConnected
	changed := a.state.Status != status || a.state.APIVersion != version || a.state.Foreign != isForeign
	a.state.Status, a.state.APIVersion, a.state.Foreign = status, version, isForeign
	if url != "" {
		a.apiURL = url
	}
	a.mu.Unlock()
	if changed {
		a.trigger()
	}
	a.checkExpiry()
	return answered
}

// loadKeys reads the saved keys (metadata; Missing marks a lost secret).
func (a *App) loadKeys(ctx context.Context) {
	lctx, cancel := context.WithTimeout(ctx, keystore.KeychainTimeout)
	defer cancel()
	keys, err := a.d.Store.List(lctx)
	if err != nil {
		// Keep showing the last good list rather than an empty menu.
		a.logf("listing keys: %v", err)
		return
	}
	a.mu.Lock()
	a.state.Keys = keys
	a.mu.Unlock()
	a.refreshClients()
	a.checkExpiry()
}

// setPairing marks name as being paired ("" when done) and rebuilds.
func (a *App) setPairing(name string) {
	a.mu.Lock()
	a.state.Pairing = name
	a.mu.Unlock()
	a.trigger()
}
