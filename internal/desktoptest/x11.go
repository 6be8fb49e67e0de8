package desktoptest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// SessionDir returns $DESKTOP_SESSION_DIR, the run directory of
// scripts/desktop-session.sh (notifications.log, logs/), or "" outside it.
func SessionDir() string { return os.Getenv("DESKTOP_SESSION_DIR") }

// ErrNoSecret is returned by [SecretToolLookup] when no item matches.
var ErrNoSecret = errors.New("desktoptest: no such secret in the Secret Service")

// run runs a tool and returns its stdout; the error carries its stderr.
func run(ctx context.Context, stdin string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.WaitDelay = time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		msg := strings.TrimSpace(errb.String())
		if msg != "" {
			return out.String(), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, msg)
		}
		return out.String(), fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return out.String(), nil
}

// WaitWindow waits until a visible X window whose title matches
// titleRegexp (xdotool's regexp, e.g. "^anykey PIN$") exists, and returns
// its window id. Use a unique title per dialog.
func WaitWindow(ctx context.Context, titleRegexp string) (string, error) {
	out, err := run(ctx, "", "xdotool", "search", "--sync", "--onlyvisible", "--name", titleRegexp)
	if err != nil {
		return "", fmt.Errorf("desktoptest: waiting for window %q: %w", titleRegexp, err)
	}
	ids := strings.Fields(out)
	if len(ids) == 0 {
		return "", fmt.Errorf("desktoptest: no window %q", titleRegexp)
	}
	return ids[0], nil
}

// TypeIntoWindow waits for the window titled titleRegexp, focuses it,
// types text (if not empty) and then presses key (if not empty), e.g.
// "Return" to accept or "Escape" to cancel a zenity dialog. Keyboard focus
// is global: hold [LockGUI] while a dialog is open.
func TypeIntoWindow(ctx context.Context, titleRegexp, text, key string) error {
	wid, err := WaitWindow(ctx, titleRegexp)
	if err != nil {
		return err
	}
	if _, err := run(ctx, "", "xdotool", "windowfocus", "--sync", wid); err != nil {
		return fmt.Errorf("desktoptest: focusing %q: %w", titleRegexp, err)
	}
	if text != "" {
		if _, err := run(ctx, "", "xdotool", "type", "--delay", "20", "--", text); err != nil {
			return fmt.Errorf("desktoptest: typing into %q: %w", titleRegexp, err)
		}
	}
	if key != "" {
		if _, err := run(ctx, "", "xdotool", "key", "--", key); err != nil {
			return fmt.Errorf("desktoptest: pressing %s in %q: %w", key, titleRegexp, err)
		}
	}
	return nil
}

// ReadClipboard returns the text of the CLIPBOARD selection
// (xclip -o -selection clipboard). An empty clipboard is an error.
func ReadClipboard(ctx context.Context) (string, error) {
	out, err := run(ctx, "", "xclip", "-o", "-selection", "clipboard")
	if err != nil {
		return "", fmt.Errorf("desktoptest: reading the clipboard: %w", err)
	}
	return out, nil
}

// SecretToolLookup returns the secret stored with attributes service and
// username (what go-keyring writes), or [ErrNoSecret].
func SecretToolLookup(ctx context.Context, service, user string) (string, error) {
	out, err := run(ctx, "", "secret-tool", "lookup", "service", service, "username", user)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 && out == "" && ctx.Err() == nil {
		return "", ErrNoSecret
	}
	if err != nil {
		return "", fmt.Errorf("desktoptest: secret-tool lookup: %w", err)
	}
	return out, nil
}

// Screenshot writes a PNG (or whatever path's extension says) of the whole
// screen (import -window root).
func Screenshot(ctx context.Context, path string) error {
	if _, err := run(ctx, "", "import", "-window", "root", path); err != nil {
		return fmt.Errorf("desktoptest: screenshot: %w", err)
	}
	return nil
}
