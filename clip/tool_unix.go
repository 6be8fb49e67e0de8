//go:build linux || freebsd || openbsd || netbsd || dragonfly

package clip

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/anykey-app/anykey/internal/wlwire"
)

func describe() (Tool, error) {
	var waylandErr error
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		iface, err := probeDataControl()
		if err == nil {
			return Tool{Name: "anykey (Wayland " + iface + ")", MarksSecret: true}, nil
		}
		waylandErr = err
	}
	if os.Getenv("DISPLAY") != "" {
		conn, err := dialX11("")
		if err != nil {
			if waylandErr != nil && !isNoDataControl(waylandErr) {
				return Tool{}, errors.Join(waylandErr, err)
			}
			return Tool{}, err
		}
		conn.Close()
		name := "anykey (X11 selection owner)"
		if waylandErr != nil {
			name = "anykey (X11 selection owner, through Xwayland)"
		}
		return Tool{Name: name, MarksSecret: true}, nil
	}
	if waylandErr != nil && !isNoDataControl(waylandErr) {
		return Tool{}, waylandErr
	}
	argv := copyTool()
	if argv == nil {
		return Tool{}, ErrNoTool
	}
	t := Tool{Name: filepath.Base(argv[0])}
	if t.Name == "wl-copy" {
		t.Note = "the compositor has no data-control protocol (GNOME) and there is no X server: wl-copy cannot mark a copy secret, and up to wl-clipboard 2.2 it keeps the copy in a file under /tmp"
	}
	return t, nil
}

// probeDataControl connects to the Wayland compositor and names the
// data-control manager it offers, or returns errNoDataControl.
func probeDataControl() (string, error) {
	c, err := wlwire.Dial()
	if err != nil {
		return "", fmt.Errorf("connecting to the Wayland compositor: %w", err)
	}
	o := &waylandOwner{c: c}
	defer c.Close()
	globals, err := o.globals()
	if err != nil {
		return "", err
	}
	for _, want := range dataControlManagers {
		for _, g := range globals {
			if g.iface == want {
				return want, nil
			}
		}
	}
	return "", errNoDataControl
}

// pasteTool returns the command line that reads the clipboard, as
// atotto/clipboard picks it, or nil when no tool is installed.
func pasteTool() []string {
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		if _, err := exec.LookPath("wl-paste"); err == nil {
			return []string{"wl-paste", "--no-newline"}
		}
	}
	for _, c := range [][]string{{"xclip", "-out", "-selection", "clipboard"}, {"xsel", "--output", "--clipboard"}} {
		if _, err := exec.LookPath(c[0]); err == nil {
			return c
		}
	}
	return nil
}

// copyTool returns the command line that writes the clipboard, as
// atotto/clipboard picks it, or nil when no tool is installed.
func copyTool() []string {
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		if _, err := exec.LookPath("wl-copy"); err == nil {
			return []string{"wl-copy"}
		}
	}
	for _, c := range [][]string{{"xclip", "-in", "-selection", "clipboard"}, {"xsel", "--input", "--clipboard"}} {
		if _, err := exec.LookPath(c[0]); err == nil {
			return c
		}
	}
	return nil
}
