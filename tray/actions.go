package tray

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/clip"
	"github.com/anykey-app/anykey/handoff"
	"github.com/anykey-app/anykey/keystore"
	"github.com/anykey-app/anykey/packaging"
)

// Deadlines for the work a click starts. Dialogs wait for a human; the code
// dialog longest, because newer Anytype wants the request approved (a
// 180 s window) before it shows a code (docs/anytype-api.md §6).
var (
	nameWait = 3 * time.Minute
	codeWait = 6 * time.Minute
	askWait  = 3 * time.Minute // key entry and yes/no questions
	httpWait = 15 * time.Second
)

// anytypeURL opens the Anytype desktop app through its URL scheme.
const anytypeURL = "anytype://"

// handle runs one click. It is always called on its own goroutine.
func (a *App) handle(ctx context.Context, act Action) {
	switch act.Kind {
	case ActOpenAnytype:
		if err := a.d.Opener.Open(anytypeURL); errors.Is(err, ErrNoHandler) {
			a.notify("Could not open Anytype", "No program here opens anytype:// links: is the Anytype desktop app installed? Start it from your applications menu, or install it from anytype.io.")
		} else if err != nil {
			a.notify("Could not open Anytype", fmt.Sprintf("Start it from your applications menu (%v).", err))
		}
	case ActNewKey:
		a.newKey(ctx)
	case ActAddKey:
		a.addKey(ctx)
	case ActCopyKey, ActCopyEnv:
		a.copy(ctx, act)
	case ActCopyMCP:
		a.copyMCP(ctx, act.Key)
	case ActVerify:
		a.verify(ctx, act.Key)
	case ActRemove:
		a.remove(ctx, act.Key)
	case ActRotate:
		a.rotate(ctx, act.Key)
	case ActUnlock:
		a.unlock(ctx, act.Key)
	case ActAutostart:
		a.toggleAutostart()
	case ActConnect:
		a.connect(ctx, act)
	case ActCheck:
		a.checkDesktop(ctx)
	case ActAbout:
		a.notify("anykey "+a.d.Version,
			"Gets API keys for Anytype's local API and keeps them in your keychain. On the command line: anykey help.")
	}
}

// notify tells the user the result of a click. It is a notification;
// when none can be shown (no notification daemon, or it does not answer)
// the same text goes to a message dialog, so no result is silent. The
// dialog is shown from its own goroutine: the click's work goes on.
func (a *App) notify(title, body string) {
	err := a.d.Notifier.Notify(title, body)
	if err == nil {
		return
	}
	a.logf("%v", err)
	inf, ok := a.d.Prompter.(Informer)
	if !ok {
		return
	}
	a.goAction(func() {
		ctx, cancel := context.WithTimeout(context.Background(), askWait)
		defer cancel()
		if err := inf.Info(ctx, title, body); err != nil {
			a.logf("showing %q in a dialog instead: %v", title, err)
		}
	})
}

// progress is a notification about work under way that a dialog follows
// anyway (pairing's "look at Anytype"): no message dialog stands in for
// it, which would cover the dialog that comes next.
func (a *App) progress(title, body string) {
	if err := a.d.Notifier.Notify(title, body); err != nil {
		a.logf("%v", err)
	}
}

// begin claims the one dialog sequence (new/add key) allowed at a time.
func (a *App) begin() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.busy {
		return false
	}
	a.busy = true
	return true
}

func (a *App) end() {
	a.mu.Lock()
	a.busy = false
	a.mu.Unlock()
}

func (a *App) notRunning() {
	a.mu.Lock()
	foreign := a.foreign
	a.mu.Unlock()
	if foreign != nil {
		a.foreignListener(foreign)
		return
	}
	body := "Start Anytype and log in, then try again."
	if a.hasItem(LabelOpenAnytype) {
		body += " (" + LabelOpenAnytype + " is in the anykey menu.)"
	}
	a.notify("Anytype is not running", body)
}

// foreignListener explains a refused API port: another user's program
// holds it, and nothing was sent there.
func (a *App) foreignListener(err error) {
	a.notify("Nothing was sent: the Anytype port belongs to another user",
		fmt.Sprintf("%v. Quit that program and start Anytype; if it is your Anytype run by a service account, set %s to its user.", err, auth.EnvTrustListenerOwner))
}

// dialogFailed explains a dialog that could not be shown; cli is the
// terminal command that does the same job.
func (a *App) dialogFailed(err error, cli string) {
	switch {
	case errors.Is(err, ErrNoDisplay):
		a.notify("anykey cannot show a dialog", "No display is set (DISPLAY). Run `"+cli+"` in a terminal instead.")
	case errors.Is(err, ErrNoDialogTool):
		a.notify("anykey cannot show a dialog", "Install zenity (or kdialog), or run `"+cli+"` in a terminal.")
	default:
		a.notify("anykey cannot show a dialog", fmt.Sprintf("%v. Run `%s` in a terminal instead.", err, cli))
	}
}

// uniqueName is the default offered for a new key: anykey, anykey-2, …
func uniqueName(keys []keystore.Entry) string {
	taken := map[string]bool{}
	for _, e := range keys {
		taken[e.Name] = true
	}
	name := "anykey"
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("anykey-%d", i)
	}
	return name
}

// askName asks for a new key's name until it is valid and unused. ok is
// false when the user cancelled or no dialog could be shown.
func (a *App) askName(ctx context.Context, title, text, cli string) (name string, ok bool) {
	problem := ""
	for range 5 {
		dctx, cancel := context.WithTimeout(ctx, nameWait)
		name, err := a.d.Prompter.Entry(dctx, Dialog{Title: title, Text: problem + text, Default: uniqueName(a.snapshot().Keys)})
		cancel()
		switch {
		case errors.Is(err, ErrCanceled), errors.Is(err, context.DeadlineExceeded):
			return "", false
		case err != nil:
			a.dialogFailed(err, cli)
			return "", false
		}
		if err := keystore.ValidateName(name); err != nil {
			problem = "That name cannot be used: 1 to 64 printable characters, no \"/\".\n"
			continue
		}
		kctx, cancel := context.WithTimeout(ctx, keystore.KeychainTimeout)
		_, err = a.d.Store.Lookup(kctx, name)
		cancel()
		switch {
		case err == nil:
			problem = fmt.Sprintf("A key named %q already exists.\n", name)
			continue
		case !errors.Is(err, keystore.ErrNotFound):
			a.notify("anykey cannot read its saved keys", err.Error())
			return "", false
		}
		return name, true
	}
	return "", false
}

// copyText puts text on the clipboard, explaining a failure.
func (a *App) copyText(text string, clearAfter time.Duration) bool {
	err := a.d.Copier.Copy(text, clearAfter)
	switch {
	case err == nil:
		return true
	default:
		a.copyFailed(err)
	}
	return false
}

func (a *App) copyFailed(err error) {
	if errors.Is(err, clip.ErrNoTool) {
		a.notify("No clipboard tool", upperFirst(clip.InstallHint())+", then use Copy key in the anykey menu.")
		return
	}
	a.notify("Could not use the clipboard", err.Error())
}

func (a *App) clearNote() string {
	if a.d.ClearAfter <= 0 {
		return "It stays on the clipboard until you copy something else."
	}
	return fmt.Sprintf("anykey clears the clipboard in %s if it still holds the key.", a.d.ClearAfter)
}

// copy handles Copy key and Copy shell exports.
func (a *App) copy(ctx context.Context, act Action) {
	if act.Kind == ActCopyEnv {
		a.copyEnvCommand(ctx, act.Key)
		return
	}
	if e, key, ok := a.secret(ctx, act.Key); ok {
		a.copySecretNote(key, fmt.Sprintf("Copied key %q", e.Name), scopedNote(e.Grant))
	}
}

// executable is os.Executable; tests replace it.
var executable = os.Executable

// copyEnvCommand copies `eval "$(/path/to/anykey env NAME)"`: a line that
// fetches the key when run, rather than the exports themselves, because a
// pasted export stays in shell history (even with HISTCONTROL=ignoreboth,
// which skips only lines starting with a space). The line holds no secret,
// so the clipboard is not cleared.
func (a *App) copyEnvCommand(ctx context.Context, name string) {
	kctx, cancel := context.WithTimeout(ctx, keystore.KeychainTimeout)
	_, err := a.d.Store.Lookup(kctx, name)
	cancel()
	if err != nil && !errors.Is(err, keystore.ErrUnavailable) {
		a.notifyKeyProblem(ctx, name, err)
		return
	}
	exe, err := executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		a.notify("Could not find anykey's own path", err.Error())
		return
	}
	line := fmt.Sprintf("eval \"$(%s env %s)\"", shellWord(exe), shellWord(name))
	if err := a.d.Copier.Copy(line, 0); err != nil {
		a.copyFailed(err)
		return
	}
	a.notify(fmt.Sprintf("Copied shell exports for %q", name),
		"The clipboard holds a command that loads the key when you run it, not the key, so the key stays out of your shell history.")
}

// shellWord quotes s for sh unless it is made of characters sh takes as
// they are.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/@%+=:,-") == "" {
		return s
	}
	return handoff.QuoteSh(s)
}

// verify checks a saved key against the Anytype it was made on.
func (a *App) verify(ctx context.Context, name string) {
	e, key, ok := a.secret(ctx, name)
	if !ok {
		return
	}
	c, err := a.d.NewClient(e.APIURL)
	if err != nil {
		a.notify(fmt.Sprintf("Could not check %q", name), err.Error())
		return
	}
	hctx, cancel := context.WithTimeout(ctx, httpWait)
	defer cancel()
	res, err := c.Check(hctx, key)
	v := res.Validity
	switch {
	case err == nil && v == auth.Valid:
		a.notify(fmt.Sprintf("Key %q works", name), "Anytype at "+e.APIURL+" accepted it."+checkNote(res))
	case err == nil && v == auth.Expired:
		a.notify(fmt.Sprintf("Key %q has expired", name),
			expiredHint(a.hasItem(LabelRotate)))
	case err == nil && v == auth.Rejected:
		a.notify(fmt.Sprintf("Key %q was rejected", name),
			"Anytype no longer accepts it (revoked, or made for another account). Remove it and pair again.")
	case errors.Is(err, auth.ErrForeignListener), errors.Is(err, auth.ErrListenerUnknown):
		a.foreignListener(err)
	case v == auth.Unreachable || errors.Is(err, auth.ErrNotRunning):
		a.notify(fmt.Sprintf("Could not check %q", name), "Anytype at "+e.APIURL+" is not running.")
	default:
		a.notify(fmt.Sprintf("Could not check %q", name), err.Error())
	}
}

// remove forgets a key here after a yes in a question dialog, then tells
// where to revoke it: Anytype has no REST call for that.
func (a *App) remove(ctx context.Context, name string) {
	dctx, cancel := context.WithTimeout(ctx, askWait)
	err := a.d.Prompter.Question(dctx, "anykey — remove key",
		fmt.Sprintf("Remove key %q from this computer?\n\nThis only forgets it here. It keeps working until you revoke it in Anytype: Settings → API Keys.", name))
	cancel()
	switch {
	case errors.Is(err, ErrCanceled), errors.Is(err, context.DeadlineExceeded):
		return
	case err != nil:
		a.dialogFailed(err, "anykey rm "+handoff.NameArg(name))
		return
	}
	kctx, cancel := context.WithTimeout(ctx, keystore.KeychainTimeout)
	err = a.d.Store.Delete(kctx, name)
	cancel()
	if err != nil && !errors.Is(err, keystore.ErrNotFound) {
		a.notify(fmt.Sprintf("Could not remove %q", name), err.Error())
		return
	}
	a.reloadKeys(ctx)
	body := "To stop it working, revoke it in Anytype: Settings → API Keys."
	if p := a.provider(); p.KeepsDeleted {
		// KeePassXC moves the entry to its Recycle Bin: not erased.
		body = fmt.Sprintf("%s moved it to its Recycle Bin, where the key is still stored: empty the Recycle Bin in %s to erase it. %s", p.Name, p.Name, body)
	}
	body += clientsStillUsing(a.snapshot().Clients, name)
	a.notify(fmt.Sprintf("Removed key %q", name), body)
}

func (a *App) toggleAutostart() {
	on, err := a.d.Autostart.Enabled()
	if err == nil {
		if on {
			err = a.d.Autostart.Disable()
		} else {
			err = a.d.Autostart.Enable()
		}
	}
	switch {
	case errors.Is(err, packaging.ErrNotInstalled):
		// Said instead of ticking: the entry would point at a binary that
		// vanishes or that someone else can replace.
		a.notify("Start at login needs an installed anykey", err.Error()+". "+strings.ToUpper(packaging.InstallHint[:1])+packaging.InstallHint[1:]+".")
	case err != nil:
		a.notify("Could not change start at login", err.Error())
	}
	a.trigger()
}
