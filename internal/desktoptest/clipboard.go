package desktoptest

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// ReadClipboard returns the text of the clipboard: xclip -o -selection
// clipboard on X11, wl-paste --no-newline on Wayland. A clipboard with no
// owner at all is an error; one its owner emptied reads as "".
func ReadClipboard(ctx context.Context) (string, error) {
	name, args := "xclip", []string{"-o", "-selection", "clipboard"}
	if Wayland() {
		name, args = "wl-paste", []string{"--no-newline"}
	}
	out, err := run(ctx, "", name, args...)
	if err != nil {
		return "", fmt.Errorf("desktoptest: reading the clipboard: %w", err)
	}
	return out, nil
}

// WriteClipboard puts text on the clipboard the way a user's copy does:
// xclip -i -selection clipboard on X11, wl-copy on Wayland. Both fork a
// background owner of the selection that lives until another client takes
// it; the session's teardown stops it.
func WriteClipboard(ctx context.Context, text string) error {
	name, args := "xclip", []string{"-i", "-selection", "clipboard"}
	if Wayland() {
		name, args = "wl-copy", nil
	}
	// Not run(): the forked owner keeps any output pipe open, so Wait would
	// hang; with nil Stdout/Stderr it writes to /dev/null.
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(text)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("desktoptest: %s: writing the clipboard: %w", name, err)
	}
	return nil
}
