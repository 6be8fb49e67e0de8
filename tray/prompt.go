package tray

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/ncruces/zenity"

	"github.com/anykey-app/anykey/internal/textsafe"
)

// Dialog outcomes other than an answer. Callers branch on them with
// errors.Is; an empty answer is reported as ErrCanceled unless
// [Dialog.AllowEmpty].
var (
	ErrCanceled     = errors.New("dialog cancelled")
	ErrNoDisplay    = errors.New("no display to show a dialog on (DISPLAY and WAYLAND_DISPLAY are unset)")
	ErrNoDialogTool = errors.New("no dialog tool found (zenity, qarma, matedialog or kdialog)")
)

// Dialog is a one-line text entry.
type Dialog struct {
	Title   string
	Text    string
	Default string // pre-filled answer (never a secret: it goes on argv)
	Hidden  bool   // the answer is a secret: dots instead of characters
	// AllowEmpty returns OK on an empty field as "" (the code dialog asks
	// again then: only Cancel and Esc cancel, issue 17); without it an
	// empty answer is ErrCanceled.
	AllowEmpty bool
}

// Prompter asks the user things in native dialogs. Each call blocks until
// the user answers or ctx ends (the dialog is closed then).
type Prompter interface {
	Entry(ctx context.Context, d Dialog) (string, error)
	// Question returns nil for yes and ErrCanceled for no.
	Question(ctx context.Context, title, text string) error
}

// Dialogs is the real [Prompter]: ncruces/zenity (Win32 on Windows,
// osascript on macOS, zenity/qarma/matedialog elsewhere), falling back to
// kdialog, which zenity does not drive (ncruces/zenity#25).
type Dialogs struct {
	// Test hooks; nil means the real thing.
	zenityOK func() bool
	lookPath func(string) (string, error)
	getenv   func(string) string
}

var _ Prompter = Dialogs{}

func (d Dialogs) hasZenity() bool {
	if d.zenityOK != nil {
		return d.zenityOK()
	}
	return zenity.IsAvailable()
}

func (d Dialogs) look(name string) (string, error) {
	if d.lookPath != nil {
		return d.lookPath(name)
	}
	return exec.LookPath(name)
}

// checkDisplay reports a missing display up front: without one zenity exits
// 1, exactly like a user's cancel (docs/desktop-testing.md §6).
func (d Dialogs) checkDisplay() error {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return nil
	}
	getenv := d.getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return ErrNoDisplay
	}
	return nil
}

// Entry shows a text entry and returns the trimmed answer.
func (d Dialogs) Entry(ctx context.Context, dl Dialog) (string, error) {
	if err := d.checkDisplay(); err != nil {
		return "", err
	}
	// The dialog is an edge like the terminal: its text may quote a name
	// or a server's words.
	dl.Title, dl.Text = textsafe.Terminal(dl.Title), textsafe.Lines(dl.Text)
	var out string
	var err error
	if d.hasZenity() {
		opts := []zenity.Option{zenity.Title(dl.Title), zenity.Context(ctx), zenity.Width(420)}
		if dl.Default != "" {
			opts = append(opts, zenity.EntryText(dl.Default))
		}
		if dl.Hidden {
			opts = append(opts, zenity.HideText())
		}
		if strings.Contains(dl.Text, "\n") || len(dl.Text) > 40 {
			go fitEntryLabel(ctx, dl.Title, dl.Text)
		}
		out, err = zenity.Entry(dl.Text, opts...)
		err = dialogErr(ctx, err)
	} else if kd, lerr := d.look("kdialog"); lerr == nil {
		args := []string{"--title", dl.Title}
		if dl.Hidden {
			args = append(args, "--password", dl.Text)
		} else {
			args = append(args, "--inputbox", dl.Text, dl.Default)
		}
		out, err = runKdialog(ctx, kd, args)
	} else {
		return "", ErrNoDialogTool
	}
	if err != nil {
		return "", err
	}
	// A destroyed zenity window answers "" with exit 0; treat it as cancel
	// unless the caller asks again on an empty answer anyway.
	out = strings.TrimSpace(out)
	if out == "" && !dl.AllowEmpty {
		return "", ErrCanceled
	}
	return out, nil
}

// Question asks a yes/no question; "no" is ErrCanceled.
func (d Dialogs) Question(ctx context.Context, title, text string) error {
	if err := d.checkDisplay(); err != nil {
		return err
	}
	title, text = textsafe.Terminal(title), textsafe.Lines(text)
	if d.hasZenity() {
		err := zenity.Question(text, zenity.Title(title), zenity.Context(ctx),
			zenity.OKLabel("Remove"), zenity.CancelLabel("Keep"), zenity.DefaultCancel())
		return dialogErr(ctx, err)
	}
	if kd, err := d.look("kdialog"); err == nil {
		_, err := runKdialog(ctx, kd, []string{"--title", title, "--yesno", text})
		return err
	}
	return ErrNoDialogTool
}

// Informer shows a message in a dialog and waits until it is closed or
// ctx ends. The tray shows there what a notification could not: with no
// notification daemon the results of clicks would otherwise go unseen.
type Informer interface {
	Info(ctx context.Context, title, text string) error
}

var _ Informer = Dialogs{}

// Info shows text in a message dialog with an OK button.
func (d Dialogs) Info(ctx context.Context, title, text string) error {
	if err := d.checkDisplay(); err != nil {
		return err
	}
	title, text = textsafe.Terminal(title), textsafe.Lines(text)
	if d.hasZenity() {
		err := zenity.Info(text, zenity.Title(title), zenity.Context(ctx), zenity.Width(480))
		if errors.Is(err, zenity.ErrCanceled) {
			return nil // closed with the window's close button: seen
		}
		return dialogErr(ctx, err)
	}
	if kd, err := d.look("kdialog"); err == nil {
		_, err := runKdialog(ctx, kd, []string{"--title", title, "--msgbox", text})
		if errors.Is(err, ErrCanceled) {
			return nil
		}
		return err
	}
	return ErrNoDialogTool
}

// dialogErr maps zenity's outcomes onto ours.
func dialogErr(ctx context.Context, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("waiting for the dialog: %w", ctx.Err())
	case errors.Is(err, zenity.ErrCanceled):
		return ErrCanceled
	case errors.Is(err, exec.ErrNotFound):
		return ErrNoDialogTool
	default:
		return fmt.Errorf("showing dialog: %w", err)
	}
}

// runKdialog runs kdialog; exit status 1 is the user's cancel or "no".
func runKdialog(ctx context.Context, path string, args []string) (string, error) {
	out, err := exec.CommandContext(ctx, path, args...).Output()
	if ctx.Err() != nil {
		return "", fmt.Errorf("waiting for the dialog: %w", ctx.Err())
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 {
		return "", ErrCanceled
	}
	if err != nil {
		return "", fmt.Errorf("showing dialog: %w", err)
	}
	return string(out), nil
}
