package clip

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// On X11 and Wayland anykey serves the clipboard itself: a detached
// process (ServeCommand) owns the selection, offers the text beside
// [HintTarget] = "secret", keeps the text in memory only, and gives the
// selection up when the clear delay is over. The tools it replaces offer a
// single type (xclip, xsel: astrand/xclip#32; wl-copy up to 2.2:
// bugaevc/wl-clipboard#177), and wl-copy up to 2.2 buffers what it copies
// in /tmp/wl-copy-buffer-XXXXXX/stdin (bugaevc/wl-clipboard#34), on disk
// on Debian and Ubuntu.

// ServeCommand is the hidden anykey subcommand that serves the clipboard;
// main dispatches it to [RunServer]. Its arguments are the clear delay and
// the copy's generation; the text comes on stdin, never on argv.
const ServeCommand = "__serve-clipboard"

// HintTarget is the X11 target and Wayland MIME type that marks a copy as
// a password for clipboard managers (KDE's convention, followed by
// KeePassXC, Klipper, CopyQ ≥ 8, GNOME's Clipman, COSMIC's manager and
// wl-paste --watch ≥ 2.2); its content is [hintValue].
const HintTarget = "x-kde-passwordManagerHint"

const hintValue = "secret"

// serveTimeout bounds how long [Copy] waits for the server to own the
// clipboard: connecting and one round trip to the display server.
const serveTimeout = 10 * time.Second

// errCannotServe is what a server reports when this session has no
// display server it can own the clipboard of without a window (Wayland
// without data-control, and no X server either): [Copy] then falls back to
// the clipboard tools.
var errCannotServe = errors.New("no clipboard anykey can own in this session")

// selectionOwner is a clipboard owned by this process: X11 or Wayland.
type selectionOwner interface {
	// lostCh is closed when another client took the clipboard.
	lostCh() <-chan struct{}
	// release gives the clipboard up if still ours and disconnects.
	release()
}

// Status lines the server writes on stdout once, then closes it.
const (
	statusOK        = "ok"
	statusCannot    = "cannot-serve"
	statusErrPrefix = "error: "
)

// serveHook is copyServed, a test hook.
var serveHook = copyServed

// copyServed starts the server and waits until it owns the clipboard. It
// reports served=false, with no error, when this session has no
// clipboard the server can own (the caller then uses a tool).
func copyServed(secret string, clearAfter time.Duration, gen string) (served bool, err error) {
	if !canServe() {
		return false, nil
	}
	exe, err := executable()
	if err != nil {
		return false, err
	}
	args := []string{ServeCommand, clearAfter.String()}
	if gen != "" {
		args = append(args, gen)
	}
	cmd := exec.Command(exe, args...)
	cmd.SysProcAttr = detached()
	in, err := cmd.StdinPipe()
	if err != nil {
		return false, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return false, err
	}
	if err := cmd.Start(); err != nil {
		return false, err
	}
	// Reap it whenever it ends (the tray lives on; no zombies).
	defer func() { go func() { _ = cmd.Wait() }() }()
	_, werr := io.WriteString(in, secret)
	if cerr := in.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = cmd.Process.Kill()
		return false, werr
	}
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(io.LimitReader(out, 512)).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	var status string
	select {
	case status = <-line:
	case <-time.After(serveTimeout):
		_ = cmd.Process.Kill()
		return false, fmt.Errorf("the clipboard server did not start within %v", serveTimeout)
	}
	switch {
	case status == statusOK:
		return true, nil
	case status == statusCannot:
		return false, nil
	case strings.HasPrefix(status, statusErrPrefix):
		return false, errors.New(strings.TrimPrefix(status, statusErrPrefix))
	default:
		_ = cmd.Process.Kill()
		return false, errors.New("the clipboard server ended without saying why")
	}
}

// RunServer is the clipboard server: it reads the text from r, owns the
// clipboard, writes one status line to status and closes it, then serves
// the text until the clear delay d is over (0: until another client takes
// the clipboard) and gives the clipboard up. It records gen as the newest
// copy's generation once the clipboard is its own (generation.go). If
// another client takes the clipboard first, it ends at once: when a later
// copy of anykey's superseded gen, with nothing left to do; otherwise
// after starting a helper ([RunHelper], given only a fingerprint of the
// text) that clears the clipboard at the end of d if it still holds the
// text and no later copy superseded gen.
// SIGTERM, SIGINT and SIGHUP end it: the clipboard then empties, since
// nobody owns it.
func RunServer(r io.Reader, status io.WriteCloser, d time.Duration, gen string) error {
	text, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		fmt.Fprintf(status, "%sreading the text: %v\n", statusErrPrefix, err)
		status.Close()
		return err
	}
	defer wipe(text)
	lockMemory(text)
	deadline := time.Now().Add(d)
	// Taking the clipboard and recording the generation are one step for
	// other anykey processes (generation.go): an older server that lost
	// the clipboard to this one finds it superseded, never our key under
	// its own generation. Recorded only once the clipboard is ours: a
	// copy that failed must not cancel the clear of an earlier one.
	unlock := lockClipboard()
	o, err := ownClipboard(text)
	if err == nil && gen != "" {
		recordGeneration(gen)
	}
	unlock()
	switch {
	case errors.Is(err, errCannotServe):
		fmt.Fprintln(status, statusCannot)
		status.Close()
		return nil
	case err != nil:
		fmt.Fprintf(status, "%s%s\n", statusErrPrefix, oneLine(err.Error()))
		status.Close()
		return err
	}
	fmt.Fprintln(status, statusOK)
	status.Close()

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	defer signal.Stop(sig)
	var timer <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
		o.release()
		return nil
	case <-sig:
		o.release()
		return nil
	case <-o.lostCh():
		o.release()
	}
	// Someone else owns the clipboard now: a later copy (anykey's or the
	// user's) or a clipboard manager that took the text over.
	if d <= 0 {
		return nil
	}
	// A later copy of anykey's decides from now on: end at once, so the
	// key does not stay in the memory of a process that no longer serves
	// it. The lock waits for that copy to have recorded its generation.
	unlock = lockClipboard()
	s := superseded(gen)
	unlock()
	if s {
		return nil
	}
	// Else the clipboard is to be cleared at the end of the delay if it
	// still holds our text (a clipboard manager took it over, or the user
	// copied the same text). A helper that never held the text waits for
	// that, with a fingerprint only: this process, which no longer serves
	// the key, ends now, and the copies of the key its buffers made while
	// serving end with it.
	fp := newFingerprint(text)
	wipe(text)
	if startHelper(fp, time.Until(deadline), gen) == nil {
		return nil
	}
	select {
	case <-time.After(time.Until(deadline)):
	case <-sig:
		return nil
	}
	return clearAt(fp, gen)
}

// clearOwned empties the clipboard: owning it with nothing and letting go.
func clearOwned() error {
	o, err := ownClipboard(nil)
	if err != nil {
		return err
	}
	o.release()
	return nil
}

// clearOwnedOrTool clears with anykey's own owner, or with the tool where
// this session has none (a compositor without data-control and no X
// server: Copy used the tool too).
func clearOwnedOrTool() error {
	if err := clearOwned(); !errors.Is(err, errCannotServe) {
		return err
	}
	return writeAll("")
}

// oneLine keeps the first line of s, for the status line.
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// wipe overwrites b: the text should not outlive its use in this
// process's memory more than the garbage collector makes it.
func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
