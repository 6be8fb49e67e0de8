// Package clip puts a secret on the system clipboard and clears it later,
// like pass: a detached helper process outlives the command, and clears the
// clipboard only if it still holds the secret.
//
// Call [Copy] from a front end; main dispatches [HelperCommand] to
// [RunHelper]. [ClearAfter] reads the user's preferred delay.
package clip

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/atotto/clipboard"
)

// DefaultClearAfter is how long a copied key stays on the clipboard.
const DefaultClearAfter = 45 * time.Second

// HelperCommand is the hidden anykey subcommand that runs the clearing
// helper; main dispatches it to [RunHelper]. The secret reaches the helper on
// stdin, never on argv.
const HelperCommand = "__clear-clipboard"

// EnvClearAfter overrides [DefaultClearAfter] (seconds or a Go duration,
// like pass's PASSWORD_STORE_CLIP_TIME).
const EnvClearAfter = "ANYKEY_CLIP_TIME"

// ErrNoTool means no clipboard tool is installed (Linux: xclip, xsel or
// wl-clipboard).
var ErrNoTool = errors.New("no clipboard tool found")

// Test hooks: the clipboard and the helper binary, so tests can run Copy
// against a fake clipboard or a freshly built anykey.
var (
	writeAll    = clipboard.WriteAll
	readAll     = clipboard.ReadAll
	unsupported = func() bool { return clipboard.Unsupported }
	executable  = os.Executable
)

// Copy writes secret to the clipboard and, if clearAfter > 0, starts the
// detached helper (os.Executable() HelperCommand DURATION) that clears it.
func Copy(secret string, clearAfter time.Duration) error {
	if unsupported() {
		return ErrNoTool
	}
	if err := writeAll(secret); err != nil {
		return fmt.Errorf("writing the clipboard: %w", err)
	}
	if clearAfter <= 0 {
		return nil
	}
	if err := startHelper(secret, clearAfter); err != nil {
		// The key is on the clipboard but nothing will clear it: take it
		// off again rather than leave a secret behind unannounced.
		_ = writeAll("")
		return fmt.Errorf("starting the clipboard cleaner: %w", err)
	}
	return nil
}

func startHelper(secret string, d time.Duration) error {
	exe, err := executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, HelperCommand, d.String())
	cmd.SysProcAttr = detached()
	// Nil Stdout/Stderr are /dev/null: the helper must not hold the caller's
	// terminal or pipes open (a test reading our output would hang 45 s).
	w, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	_, werr := io.WriteString(w, secret)
	cerr := w.Close()
	// Release, not Wait: the helper outlives us on purpose.
	_ = cmd.Process.Release()
	if werr != nil {
		return werr
	}
	return cerr
}

// RunHelper reads the secret from r, waits d, and clears the clipboard if it
// still holds the secret.
func RunHelper(r io.Reader, d time.Duration) error {
	b, err := io.ReadAll(io.LimitReader(r, 1<<16))
	if err != nil {
		return fmt.Errorf("reading the secret: %w", err)
	}
	secret := string(b)
	time.Sleep(d)
	if secret == "" {
		return nil
	}
	now, err := readAll()
	if err != nil {
		return fmt.Errorf("reading the clipboard: %w", err)
	}
	// A clipboard the user changed meanwhile is theirs: leave it alone.
	if now != secret {
		return nil
	}
	if err := writeAll(""); err != nil {
		return fmt.Errorf("clearing the clipboard: %w", err)
	}
	return nil
}

// InstallHint names the package to install when [ErrNoTool] is returned.
func InstallHint() string {
	switch runtime.GOOS {
	case "linux", "freebsd", "netbsd", "openbsd", "dragonfly", "solaris":
		return "install xclip, xsel or wl-clipboard (Debian/Ubuntu: sudo apt install xclip)"
	default:
		return "this system has no clipboard anykey can use"
	}
}

// ParseDuration reads a clear delay: a Go duration ("45s", "2m") or a plain
// number of seconds ("45"). Zero disables clearing.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("clear delay %q is negative", s)
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("clear delay %q is not a number of seconds or a duration like 45s", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("clear delay %q is negative", s)
	}
	return d, nil
}

// ClearAfter returns the delay from the environment ([EnvClearAfter]) or
// [DefaultClearAfter].
func ClearAfter(getenv func(string) string) (time.Duration, error) {
	v := getenv(EnvClearAfter)
	if v == "" {
		return DefaultClearAfter, nil
	}
	d, err := ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", EnvClearAfter, err)
	}
	return d, nil
}
