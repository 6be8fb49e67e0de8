package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/clip"
	"github.com/anykey-app/anykey/internal/harden"
	"github.com/anykey-app/anykey/keystore"
	"golang.org/x/term"
)

// Main runs anykey with os.Args, the real keychain, clipboard, Anytype
// client and tray, and returns the process's exit status. version is what
// `anykey version` prints. It must be called on the main goroutine: the
// tray needs the main thread.
func Main(version string) int {
	// Every command may hold a key (get, env, exec, copy and its clearing
	// helper, add, pair, the tray): no core dump may carry it. Best effort:
	// a failure here is no reason to refuse the command.
	restoreCore, _ := harden.NoCoreDumps()
	if len(os.Args) > 1 && os.Args[1] == clip.HelperCommand {
		return clipHelper(os.Args[2:])
	}
	if len(os.Args) > 1 && os.Args[1] == clip.ServeCommand {
		return clipServer(os.Args[2:])
	}
	if !trayRun(os.Args[1:]) {
		// fyne.io/systray locks the main goroutine to the main thread in its
		// init, for the tray. A CLI command does not need that, and keeping
		// it makes every hand-off to the D-Bus reader goroutine a thread
		// wake-up: about 1 ms on `anykey list` (docs/performance.md).
		runtime.UnlockOSThread()
	}
	d := realDeps(version)
	d.beforeExec = restoreCore
	return run(context.Background(), d, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
}

// clipArgs reads the arguments clip.Copy gives its detached processes:
// DURATION [GENERATION].
func clipArgs(args []string) (d time.Duration, gen string, ok bool) {
	if len(args) != 1 && len(args) != 2 {
		return 0, "", false
	}
	d, err := time.ParseDuration(args[0])
	if err != nil {
		return 0, "", false
	}
	if len(args) == 2 {
		gen = args[1]
	}
	return d, gen, true
}

// clipHelper is the detached process clip.Copy starts; it has no terminal,
// so it reports nothing and only exits non-zero on failure.
func clipHelper(args []string) int {
	d, gen, ok := clipArgs(args)
	if !ok {
		return exitUsage
	}
	if err := clip.RunHelper(os.Stdin, d, gen); err != nil {
		return exitFailure
	}
	return exitOK
}

// clipServer is the detached process that serves the clipboard
// (clip.RunServer): its one status line goes to clip.Copy on stdout.
func clipServer(args []string) int {
	d, gen, ok := clipArgs(args)
	if !ok {
		return exitUsage
	}
	if err := clip.RunServer(os.Stdin, os.Stdout, d, gen); err != nil {
		return exitFailure
	}
	return exitOK
}

// trayRun reports whether args (without the program name) start the tray:
// no command, or "tray", after the global flags.
func trayRun(args []string) bool {
	for len(args) > 0 {
		switch a := args[0]; {
		case a == "--api-url" || a == "-api-url":
			if len(args) < 2 {
				return false
			}
			args = args[2:]
		case strings.HasPrefix(a, "-"):
			args = args[1:]
		default:
			return a == "tray"
		}
	}
	return true
}

func realDeps(version string) deps {
	return deps{
		openStore: func() (keystore.Store, error) {
			// Said when a command fails for want of the bus, in place
			// of the general sentence (keychainUnavailable): once.
			sessionBusNote = findSessionBus()
			dir, err := keystore.DefaultDir()
			if err != nil {
				return nil, fmt.Errorf("%w: %w", errNoConfigDir, errors.Unwrap(err))
			}
			if note, err := keystore.CheckDir(dir); err != nil {
				return nil, err
			} else if note != "" {
				fmt.Fprintf(os.Stderr, "anykey: %s\n", note)
			}
			return keystore.Open(dir)
		},
		newClient: func(base, ua string) (*auth.Client, error) {
			return auth.NewClient(base, auth.WithUserAgent(ua))
		},
		copy:       clip.Copy,
		isTerminal: isTerminal,
		readHidden: func(ctx context.Context, r io.Reader) (string, error) {
			return readHiddenLine(ctx, r.(*os.File))
		},
		hideInput: func(r io.Reader) func(bool) {
			return hideInput(r.(*os.File))
		},
		environ: os.Environ,
		now:     time.Now,
		tray: func(apiURL string, stderr io.Writer) int {
			return runTray(apiURL, version, stderr)
		},
		autostart:   osAutostart{},
		execve:      replaceProcess,
		defaultURLs: []string{auth.DesktopURL, auth.CLIURL},
		version:     version,
	}
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
