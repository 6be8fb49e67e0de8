package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/clip"
	"github.com/anykey-app/anykey/icons"
	"github.com/anykey-app/anykey/internal/busdial"
	"github.com/anykey-app/anykey/internal/doctor"
	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/anykey-app/anykey/keystore"
	"github.com/anykey-app/anykey/packaging"
	"github.com/anykey-app/anykey/tray"
	"golang.org/x/term"
)

// runTray starts the tray on the main goroutine (fyne.io/systray needs the
// main thread). apiURL "" means: try Anytype desktop's port, then
// anytype-cli's. A second tray in the same session exits 0.
func runTray(apiURL, version string, stderr io.Writer) int {
	if err := tray.CheckSessionBus(); err != nil {
		fmt.Fprintf(stderr, "anykey: cannot start the tray: %s\n", textsafe.Terminal(err.Error()))
		if busdial.IsSilent(err) {
			fmt.Fprintf(stderr, "anykey: hint: %s\n", hintSilentBus)
		} else if busdial.IsForeign(err) {
			fmt.Fprintf(stderr, "anykey: hint: %s\n", hintForeignBus)
		} else if busdial.IsTransport(err) {
			fmt.Fprintf(stderr, "anykey: hint: %s\n", hintTransportBus)
		} else {
			fmt.Fprintln(stderr, "anykey: hint: start anykey from your desktop session (DBUS_SESSION_BUS_ADDRESS must be set); the command line works anywhere: anykey help")
		}
		return exitFailure
	}
	lockPath, err := tray.LockPath()
	if err != nil {
		fmt.Fprintf(stderr, "anykey: %v\n", err)
		return exitFailure
	}
	release, err := tray.Lock(lockPath)
	if errors.Is(err, tray.ErrAlreadyRunning) {
		fmt.Fprintln(stderr, "anykey: already running")
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "anykey: %v\n", err)
		return exitFailure
	}
	defer release()
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		// Started by hand: a silent terminal looks like a hang.
		fmt.Fprintln(stderr, "anykey: the tray is running (look for the key icon in the panel); quit it from its menu, or press Ctrl-C here")
	}

	dir, err := keystore.DefaultDir()
	if err != nil {
		fmt.Fprintf(stderr, "anykey: finding the config directory: %v\n", err)
		return exitFailure
	}
	if note, err := keystore.CheckDir(dir); err != nil {
		fmt.Fprintf(stderr, "anykey: %v\n", err)
		return exitFailure
	} else if note != "" {
		fmt.Fprintf(stderr, "anykey: %s\n", note)
	}
	store, err := keystore.Open(dir)
	if err != nil {
		fmt.Fprintf(stderr, "anykey: %v\n", err)
		return exitFailure
	}
	clearAfter, err := clip.ClearAfter(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "anykey: %v\nanykey: hint: set %s to a number of seconds, a duration such as 2m, or 0\n", err, clip.EnvClearAfter)
		return exitFailure
	}
	urls := []string{auth.DesktopURL, auth.CLIURL}
	if apiURL != "" {
		urls = []string{apiURL}
	}
	ua := "anykey/" + version
	// Windows shows a toast under the app's name only for a registered
	// AppUserModelID, and beeep's toast library would otherwise register the
	// raw id itself on the first toast and never update it (beeep#52), so
	// this comes before the first notification. Elsewhere it is "anykey".
	appID, err := packaging.RegisterAppID()
	if err != nil {
		fmt.Fprintf(stderr, "anykey: registering the notification app id: %v\n", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = tray.Run(ctx, tray.Deps{
		Version:       version,
		Store:         store,
		IndexPath:     store.IndexPath(),
		WatchKeychain: tray.WatchKeychain,
		APIURLs:       urls,
		NewClient: func(u string) (tray.Client, error) {
			return auth.NewClient(u, auth.WithUserAgent(ua))
		},
		Notifier:    tray.NewBeeep(appID, icons.App),
		Prompter:    tray.Dialogs{},
		Copier:      tray.Clipboard{},
		ClearAfter:  clearAfter,
		Autostart:   tray.LoginItem{},
		Opener:      tray.SystemOpener{},
		HasTrayHost: tray.HostShowsIcons,
		MCP:         trayConnector(store),
		CheckDesktop: func(ctx context.Context) doctor.Report {
			return doctor.Run(ctx, doctor.Options{URLs: urls, ConfigDir: dir, Version: version})
		},
		Log: stderr,
	})
	if err != nil {
		fmt.Fprintf(stderr, "anykey: %v\n", err)
		return exitFailure
	}
	return exitOK
}
