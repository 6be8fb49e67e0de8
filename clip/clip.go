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
// helper; main dispatches it to [RunHelper]. It gets a fingerprint of the
// secret on stdin (fingerprint.go), never the secret, and nothing on argv
// but the delay and the generation.
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
	// servedSession: this session's clipboard is anykey's to own (serve.go).
	servedSession = canServe
)

// MaxClearAfter is the longest clear delay accepted: a key left for more
// than a day is better not cleared at all (0), and a larger number is a
// typo or an overflow.
const MaxClearAfter = 24 * time.Hour

// Copy writes secret to the clipboard, marked secret for clipboard
// managers, and, if clearAfter > 0, has it cleared after that delay. Every
// Copy, also one with clearAfter 0, supersedes the clears still pending
// from earlier copies, in any process (CLI or tray): the newest copy
// decides when the clipboard is cleared (see generation.go).
//
// On X11 and Wayland a detached server ([ServeCommand]) owns the
// clipboard and clears it (serve.go); where it cannot, and on other
// systems, the clipboard is written here and a detached helper
// (os.Executable() [HelperCommand] DURATION GENERATION) clears it.
func Copy(secret string, clearAfter time.Duration) error {
	// The server records gen itself, under the clipboard lock, as it takes
	// the clipboard (RunServer): recorded here, after it said so, an older
	// copy's clear could fall in between and clear this copy early.
	served, err := serveHook(secret, clearAfter, makeGeneration())
	if err != nil {
		return fmt.Errorf("writing the clipboard: %w", err)
	}
	if served {
		return nil
	}
	if unsupported() {
		return ErrNoTool
	}
	// The write and the generation are one step for other anykey
	// processes (generation.go). The generation comes after the write: a
	// copy that failed must not cancel the clear of the key an earlier
	// copy left on the clipboard.
	unlock := lockClipboard()
	if err := writeAll(secret); err != nil {
		unlock()
		return fmt.Errorf("writing the clipboard: %w", err)
	}
	gen := newGeneration()
	unlock()
	if clearAfter <= 0 {
		return nil
	}
	if err := startHelper(newFingerprint([]byte(secret)), clearAfter, gen); err != nil {
		// The key is on the clipboard but nothing will clear it: take it
		// off again rather than leave a secret behind unannounced.
		_ = writeAll("")
		return fmt.Errorf("starting the clipboard cleaner: %w", err)
	}
	return nil
}

// startHelper starts the clearing helper, detached: it clears the
// clipboard after d if it still holds the text fp stands for and gen is
// still the newest copy. It gets fp on stdin, never the text.
func startHelper(fp fingerprint, d time.Duration, gen string) error {
	exe, err := executable()
	if err != nil {
		return err
	}
	args := []string{HelperCommand, d.String()}
	if gen != "" {
		args = append(args, gen)
	}
	cmd := exec.Command(exe, args...)
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
	_, werr := w.Write(fp.encode())
	cerr := w.Close()
	// The helper outlives a CLI command on purpose; in the tray, which
	// lives on, Wait reaps it when it ends (Release would leave a zombie
	// per copy on Unix).
	go func() { _ = cmd.Wait() }()
	if werr != nil {
		return werr
	}
	return cerr
}

// RunHelper reads a fingerprint of the copied text from r (see
// fingerprint.go; earlier builds sent the text itself), waits d, and
// clears the clipboard if it still holds the text and no later copy
// superseded this one: gen is the generation recorded for it ("" skips
// that check). Check and clear run under the clipboard lock.
func RunHelper(r io.Reader, d time.Duration, gen string) error {
	b, err := io.ReadAll(io.LimitReader(r, 1<<16))
	if err != nil {
		return fmt.Errorf("reading the secret: %w", err)
	}
	if len(b) == 0 {
		return nil // nothing to clear
	}
	fp := decodeFingerprint(b)
	wipe(b)
	time.Sleep(d)
	return clearAt(fp, gen)
}

// clearAt clears the clipboard if it holds the text fp stands for and no
// later copy superseded gen, under the clipboard lock: a newer copy cannot
// take the clipboard between the check and the clear (generation.go).
func clearAt(fp fingerprint, gen string) error {
	unlock := lockClipboard()
	defer unlock()
	if superseded(gen) {
		return nil
	}
	// Read and clear as Copy wrote: through anykey's own owner where this
	// session has one (serve.go), else with the tool.
	read, clear := readAll, func() error { return writeAll("") }
	if servedSession() {
		read, clear = readOwned, clearOwnedOrTool
	}
	now, err := read()
	if err != nil {
		return fmt.Errorf("reading the clipboard: %w", err)
	}
	// A clipboard the user changed meanwhile is theirs: leave it alone.
	if !fp.matches(now) {
		return nil
	}
	beforeClear()
	if err := clear(); err != nil {
		return fmt.Errorf("clearing the clipboard: %w", err)
	}
	return nil
}

// beforeClear runs between the check and the clear: a test hook (the
// window a newer copy must not fall in).
var beforeClear = func() {}

// InstallHint names the package to install when [ErrNoTool] is returned:
// wl-clipboard in a Wayland session (WAYLAND_DISPLAY set, where
// atotto/clipboard looks for wl-copy first), else xclip.
func InstallHint() string {
	switch runtime.GOOS {
	case "linux", "freebsd", "netbsd", "openbsd", "dragonfly", "solaris":
		if os.Getenv("WAYLAND_DISPLAY") != "" {
			return "install wl-clipboard (Debian/Ubuntu: sudo apt install wl-clipboard)"
		}
		return "install xclip, xsel or wl-clipboard (Debian/Ubuntu: sudo apt install xclip)"
	default:
		return "this system has no clipboard anykey can use"
	}
}

// ParseDuration reads a clear delay: a Go duration ("45s", "2m") or a plain
// number of seconds ("45"). Zero disables clearing.
// ErrBadDuration: a clear delay that is not a number of seconds or a
// duration, is negative, or is longer than [MaxClearAfter].
var ErrBadDuration = errors.New("invalid clear delay")

func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil ||
		errors.Is(err, strconv.ErrRange) && strings.Trim(strings.TrimLeft(s, "+-"), "0123456789") == "" {
		switch {
		case n < 0 || strings.HasPrefix(s, "-"):
			return 0, fmt.Errorf("%w: %q is negative", ErrBadDuration, s)
		case err != nil || n > int64(MaxClearAfter/time.Second):
			return 0, fmt.Errorf("%w: %q seconds is longer than 24h (use 0 to never clear)", ErrBadDuration, s)
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil && !durationSyntax(s):
		return 0, fmt.Errorf("%w: %q is not a number of seconds or a duration like 45s", ErrBadDuration, s)
	case err != nil: // well formed, so an overflow
		return 0, fmt.Errorf("%w: %q is longer than 24h (use 0 to never clear)", ErrBadDuration, s)
	case d < 0:
		return 0, fmt.Errorf("%w: %q is negative", ErrBadDuration, s)
	case d > MaxClearAfter:
		return 0, fmt.Errorf("%w: %q is longer than 24h (use 0 to never clear)", ErrBadDuration, s)
	}
	return d, nil
}

// durationSyntax reports whether s is spelt as time.ParseDuration wants
// it: an optional sign, then one or more decimal numbers each with a unit.
// time.ParseDuration's errors do not tell a misspelling ("1e3", "0.5",
// "0x10": a missing or unknown unit) from an overflow ("99999999999h"),
// and its wording is not an API.
func durationSyntax(s string) bool {
	s = strings.TrimLeft(s, "+-")
	if s == "" {
		return false
	}
	for s != "" {
		num := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if num <= 0 || strings.Count(s[:num], ".") > 1 || s[:num] == "." {
			return false // no number, or no unit after it
		}
		s = s[num:]
		unit := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' || r == '.' })
		if unit < 0 {
			unit = len(s)
		}
		switch s[:unit] {
		case "ns", "us", "µs", "μs", "ms", "s", "m", "h":
		default:
			return false
		}
		s = s[unit:]
	}
	return true
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
