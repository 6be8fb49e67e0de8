package desktoptest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Wayland reports whether the session is a Wayland one (WAYLAND_DISPLAY is
// set, as scripts/desktop-session.sh does with DS_DISPLAY=wayland). The
// input, window, clipboard and screenshot helpers pick their tools by it:
// xdotool, xclip and import on X11; swaymsg, wtype, wl-clipboard and grim
// on Wayland. atotto/clipboard, which the app uses, decides the same way.
func Wayland() bool { return os.Getenv("WAYLAND_DISPLAY") != "" }

// WaitWindow waits until a visible window whose title matches titleRegexp
// (e.g. "^anykey PIN$"; xdotool's regexp on X11, Go's on Wayland: keep to
// their common subset) exists, and returns its id: an X window id, or a
// sway container id. Use a unique title per dialog.
func WaitWindow(ctx context.Context, titleRegexp string) (string, error) {
	if !Wayland() {
		out, err := run(ctx, "", "xdotool", "search", "--sync", "--onlyvisible", "--name", titleRegexp)
		// xdotool walks the window tree without grabbing the server, so a
		// window destroyed while it walks (another test's dialog closing)
		// kills it with BadWindow: that says nothing about the window we
		// wait for, so ask again (seen in CI).
		for err != nil && strings.Contains(err.Error(), "BadWindow") && ctx.Err() == nil {
			time.Sleep(pollEvery)
			out, err = run(ctx, "", "xdotool", "search", "--sync", "--onlyvisible", "--name", titleRegexp)
		}
		if err != nil {
			return "", fmt.Errorf("desktoptest: waiting for window %q: %w", titleRegexp, err)
		}
		if ids := strings.Fields(out); len(ids) > 0 {
			return ids[0], nil
		}
		return "", fmt.Errorf("desktoptest: no window %q", titleRegexp)
	}
	for {
		ids, err := WindowIDs(ctx, titleRegexp)
		if err != nil {
			return "", fmt.Errorf("desktoptest: waiting for window %q: %w", titleRegexp, err)
		}
		if len(ids) > 0 {
			return ids[0], nil
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("desktoptest: waiting for window %q: %w", titleRegexp, ctx.Err())
		case <-time.After(pollEvery):
		}
	}
}

// WindowIDs lists the visible windows whose title matches titleRegexp; an
// empty list is no error.
func WindowIDs(ctx context.Context, titleRegexp string) ([]string, error) {
	if !Wayland() {
		out, err := run(ctx, "", "xdotool", "search", "--onlyvisible", "--name", titleRegexp)
		if err != nil && out == "" && ctx.Err() == nil {
			return nil, nil // xdotool exits 1 when nothing matches
		}
		if err != nil {
			return nil, err
		}
		return strings.Fields(out), nil
	}
	re, err := regexp.Compile(titleRegexp)
	if err != nil {
		return nil, fmt.Errorf("desktoptest: window title pattern: %w", err)
	}
	root, err := swayTree(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	root.walk(func(n *swayNode) {
		if n.PID != 0 && n.Visible && re.MatchString(n.Name) {
			ids = append(ids, strconv.FormatInt(n.ID, 10))
		}
	})
	return ids, nil
}

// WindowPID returns the process id of the client that shows window wid
// (from [WaitWindow]): xdotool getwindowpid (_NET_WM_PID) on X11, the
// node's pid in sway's tree on Wayland.
func WindowPID(ctx context.Context, wid string) (int, error) {
	if !Wayland() {
		out, err := run(ctx, "", "xdotool", "getwindowpid", wid)
		if err != nil {
			return 0, fmt.Errorf("desktoptest: pid of window %s: %w", wid, err)
		}
		return strconv.Atoi(strings.TrimSpace(out))
	}
	root, err := swayTree(ctx)
	if err != nil {
		return 0, err
	}
	pid := 0
	root.walk(func(n *swayNode) {
		if strconv.FormatInt(n.ID, 10) == wid {
			pid = n.PID
		}
	})
	if pid == 0 {
		return 0, fmt.Errorf("desktoptest: no window %s", wid)
	}
	return pid, nil
}

// WaitExit waits until process pid is gone: exited and reaped by its
// parent, which has then read its exit status (a dialog's answer), or ctx
// ends. A process whose parent never reaps it is waited for until ctx ends.
func WaitExit(ctx context.Context, pid int) error {
	for {
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("desktoptest: waiting for pid %d to exit: %w", pid, ctx.Err())
		case <-time.After(pollEvery):
		}
	}
}

func swayTree(ctx context.Context) (*swayNode, error) {
	out, err := run(ctx, "", "swaymsg", "-r", "-t", "get_tree")
	if err != nil {
		return nil, err
	}
	var root swayNode
	if err := json.Unmarshal([]byte(out), &root); err != nil {
		return nil, fmt.Errorf("desktoptest: swaymsg get_tree: %w", err)
	}
	return &root, nil
}

func (n *swayNode) walk(f func(*swayNode)) {
	f(n)
	for i := range n.Nodes {
		n.Nodes[i].walk(f)
	}
	for i := range n.FloatingNodes {
		n.FloatingNodes[i].walk(f)
	}
}

// swayNode is the part of a node of swaymsg -t get_tree the helpers read.
type swayNode struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	PID           int        `json:"pid"` // 0 for outputs, workspaces, containers
	Visible       bool       `json:"visible"`
	Nodes         []swayNode `json:"nodes"`
	FloatingNodes []swayNode `json:"floating_nodes"`
}

// TypeIntoWindow waits for the window titled titleRegexp, focuses it,
// types text (if not empty) and then presses key (if not empty): a key
// name such as "Return", "Escape" or "Tab", or "ctrl+a". Keyboard focus is
// global: hold [LockGUI] while a dialog is open.
//
// On Wayland it is one wtype call that first declares key (-p, a release
// of a key that is not down) and presses Shift_L: found by experiment with
// GTK 3.24 on sway 1.7 and wtype 0.4, GTK ignores the first key of a
// virtual keyboard's new keymap, so a call that only presses Return or
// Escape has no effect (scripts/desktop-session.sh, Pitfalls).
func TypeIntoWindow(ctx context.Context, titleRegexp, text, key string) error {
	wid, err := WaitWindow(ctx, titleRegexp)
	if err != nil {
		return err
	}
	if Wayland() {
		return wtypeInto(ctx, titleRegexp, wid, text, key)
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

func wtypeInto(ctx context.Context, titleRegexp, wid, text, key string) error {
	if _, err := run(ctx, "", "swaymsg", fmt.Sprintf("[con_id=%s]", wid), "focus"); err != nil {
		return fmt.Errorf("desktoptest: focusing %q: %w", titleRegexp, err)
	}
	if strings.HasPrefix(text, "-") {
		// wtype has no "--": such text would be read as an option.
		return fmt.Errorf("desktoptest: wtype cannot type text starting with '-': %q", text)
	}
	var args, keyArgs []string
	if key != "" {
		mod, k, combo := strings.Cut(key, "+")
		if !combo {
			k = key
		}
		args = []string{"-p", k}
		keyArgs = []string{"-k", k}
		if combo {
			keyArgs = []string{"-M", mod, "-k", k, "-m", mod}
		}
	}
	args = append(args, "-k", "Shift_L")
	if text != "" {
		args = append(args, text)
	}
	args = append(args, keyArgs...)
	if _, err := run(ctx, "", "wtype", args...); err != nil {
		return fmt.Errorf("desktoptest: typing into %q: %w", titleRegexp, err)
	}
	return nil
}
