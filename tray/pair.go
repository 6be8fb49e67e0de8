package tray

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/handoff"
	"github.com/anykey-app/anykey/keystore"
	"github.com/anykey-app/anykey/pairing"
)

// codeTitle is the code dialog's window title (the e2e test finds the
// window by it).
func codeTitle(name string) string { return fmt.Sprintf("anykey — pairing %q", name) }

// newKey is New API key…: a name, then pairing.Flow with a notification and
// the code dialog, then the key on the clipboard.
func (a *App) newKey(ctx context.Context) {
	if !a.begin() {
		a.notify("anykey is already asking something", "Finish or cancel the open anykey dialog first.")
		return
	}
	defer a.end()
	// Right before pairing, so a stale "connected" never costs a challenge.
	c := a.refreshStatus(ctx)
	if c == nil {
		a.notRunning()
		return
	}
	// The keychain before the name (issue 22: name last): a name typed for
	// a key that cannot be saved is asked for nothing.
	kctx, kcancel := context.WithTimeout(ctx, keystore.KeychainTimeout)
	err := keystore.Ready(kctx, a.d.Store)
	kcancel()
	if err != nil {
		a.notify("Cannot save a key right now", keychainProblem(err, a.provider())+" Nothing was asked of Anytype.")
		return
	}
	name, ok := a.askName(ctx, "anykey — new API key",
		"Name for the new key. Anytype shows it under Settings → API Keys.", "anykey pair NAME")
	if !ok {
		return
	}

	a.runPairing(ctx, c, name, nil)
}

// runPairing pairs name through c with the code dialog and says how it
// ended. With old set it is Replace with a new key…: the saved key is
// replaced only once the new one is saved, and every failure says the
// old key was not changed.
func (a *App) runPairing(ctx context.Context, c Client, name string, old *keystore.Entry) {
	a.setPairing(name)
	defer a.setPairing("")
	// The notification goes out beside the code dialog, not before it: a
	// slow notification daemon must not delay the dialog. started keeps the
	// outcome's notification after this one.
	var started sync.WaitGroup
	flow := pairing.Flow{
		Client: c,
		Store:  a.d.Store,
		Prompt: a.codePrompt(name),
		Started: func(*auth.Challenge) {
			started.Go(func() {
				a.progress(fmt.Sprintf("Pairing %q with Anytype", name),
					"Look at Anytype: approve the request there if it asks, then type the 4-digit code it shows into the anykey dialog.")
			})
		},
	}
	pctx, cancel := context.WithTimeout(ctx, time.Duration(pairing.MaxTries)*codeWait+time.Minute)
	defer cancel()
	e, key, err := flow.Pair(pctx, name, old != nil)
	started.Wait()
	a.reloadKeys(ctx)

	note := a.notify
	if old != nil {
		note = func(title, body string) {
			a.notify(title, body+" "+sentence(pairing.KeptNote(*old, time.Now())))
		}
	}
	var se *pairing.SaveError
	switch {
	case err == nil && old != nil:
		a.copySecretNote(key.Secret, fmt.Sprintf("Key %q replaced — the new one is on your clipboard", e.Name),
			sentence(pairing.RevokeNote(*old, e, time.Now()))+" "+scopedNote(e.Grant))
	case err == nil:
		a.copySecretNote(key.Secret, fmt.Sprintf("Key %q saved — it is on your clipboard", e.Name), scopedNote(e.Grant))
	case errors.As(err, &se):
		a.saveFailed(name, se)
	case errors.Is(err, pairing.ErrCanceled):
		note("Pairing cancelled", "Nothing was saved. "+openRequestNote)
	case errors.Is(err, ErrNoDisplay), errors.Is(err, ErrNoDialogTool):
		a.dialogFailed(err, "anykey pair "+handoff.NameArg(name))
	case errors.Is(err, pairing.ErrTooManyInvalid):
		note("Pairing stopped", fmt.Sprintf("%d answers were not a 4-digit code, so none was sent to Anytype. Choose New API key… to start again.", pairing.MaxInvalid))
	case errors.Is(err, pairing.ErrTooManyTries):
		// Not "used up": newer Anytype does not count codes typed before
		// the request was allowed, and refuses them as wrong ones.
		note("Pairing stopped", fmt.Sprintf("Anytype did not accept any of the %d codes. If Anytype asks you to allow anykey's request, answer that first: codes typed before it are refused. %s", pairing.MaxTries, openRequestNote))
	case errors.Is(err, auth.ErrNotRunning):
		a.notRunning()
	case errors.Is(err, auth.ErrRequestOpen):
		note("An anykey request is already open in Anytype",
			"Anytype refused a new pairing request: one is already open there (or was denied). Answer it in Anytype, then choose New API key… again; an unanswered request stays open for up to 3 minutes.")
	case errors.Is(err, auth.ErrChallengeRefused):
		note("Anytype refused to start pairing",
			"If Anytype shows an anykey request, answer it there first: newer Anytype refuses a new request while one is open (for up to 3 minutes). Otherwise Anytype allows only a few pairing requests per run, and none without a logged-in account: restart Anytype, log in, and try again.")
	case errors.Is(err, keystore.ErrUnavailable):
		// Checked before the challenge: nothing was spent in Anytype.
		note("Cannot save a key right now", keychainProblem(err, a.provider())+" Nothing was asked of Anytype.")
	default:
		note(fmt.Sprintf("Pairing %q failed", name), err.Error())
	}
}

// openRequestNote is what a person needs to know after pairing ended
// without a key: newer Anytype keeps the request open (docs/anytype-api.md
// §6) and refuses a new one meanwhile.
const openRequestNote = "If Anytype still shows anykey's request, deny it there: while it is open (up to 3 minutes) Anytype refuses a new one. Then choose New API key… to start again."

// saveFailed hands a minted but unsaved key to the user through the
// clipboard, so it is not lost (issue 2: the key is not lost).
func (a *App) saveFailed(name string, se *pairing.SaveError) {
	if err := a.d.Copier.Copy(se.Key.Secret, a.d.ClearAfter); err == nil {
		a.notify(fmt.Sprintf("Key %q NOT saved — it is on your clipboard", name),
			fmt.Sprintf("Saving failed: %s Paste the key somewhere safe now, then use Add existing key…. %s", keychainProblem(se.Err, a.provider()), a.clearNote()))
		return
	}
	a.notify(fmt.Sprintf("Key %q NOT saved", name),
		fmt.Sprintf("Saving failed: %s The clipboard is not available either: copy the key from Anytype, Settings → API Keys.", keychainProblem(se.Err, a.provider())))
}

// codePrompt asks for the code in a dialog titled after the key.
func (a *App) codePrompt(name string) pairing.Prompt {
	return func(ctx context.Context, r pairing.Request) (string, error) {
		text := "Type the 4-digit code Anytype shows.\nNewer Anytype first asks you to allow the request: answer that, and it shows the code."
		switch r.Retry {
		case "":
		case pairing.RetryInvalid, pairing.RetryEmpty:
			text = fmt.Sprintf("%s.\n\n%s", upperFirst(r.Retry), text)
		default:
			text = fmt.Sprintf("%s (try %d of %d).\n\n%s", upperFirst(r.Retry), r.Try, r.MaxTries, text)
		}
		dctx, cancel := context.WithTimeout(ctx, codeWait)
		defer cancel()
		code, err := a.d.Prompter.Entry(dctx, Dialog{Title: codeTitle(name), Text: text, AllowEmpty: true})
		if errors.Is(err, ErrCanceled) || errors.Is(err, context.DeadlineExceeded) {
			return "", pairing.ErrCanceled
		}
		return code, err
	}
}

func upperFirst(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// addKey is Add existing key…: a name, the key in a hidden entry, a check
// with Anytype, then save.
func (a *App) addKey(ctx context.Context) {
	if !a.begin() {
		a.notify("anykey is already asking something", "Finish or cancel the open anykey dialog first.")
		return
	}
	defer a.end()
	const cli = "anykey add NAME"
	name, ok := a.askName(ctx, "anykey — add existing key",
		"Name for a key made in Anytype (Settings → API Keys → Create new).", cli)
	if !ok {
		return
	}
	dctx, cancel := context.WithTimeout(ctx, askWait)
	key, err := a.d.Prompter.Entry(dctx, Dialog{
		Title:  fmt.Sprintf("anykey — key for %q", name),
		Text:   "Paste the API key from Anytype:",
		Hidden: true,
	})
	cancel()
	switch {
	case errors.Is(err, ErrCanceled), errors.Is(err, context.DeadlineExceeded):
		return
	case err != nil:
		a.dialogFailed(err, cli)
		return
	}
	if key, err = auth.CleanPastedKey(key); err != nil {
		a.notify("That is not an API key", upperFirst(err.Error())+". Copy the key again from Anytype, Settings → API Keys. Nothing was saved.")
		return
	}
	if key == "" {
		return
	}

	c := a.refreshStatus(ctx)
	if c == nil {
		a.notify("Anytype is not running",
			"anykey checks a key with Anytype before saving it. Start Anytype and try again, or run `anykey add NAME --no-verify` in a terminal.")
		return
	}
	hctx, cancel := context.WithTimeout(ctx, httpWait)
	res, err := c.Check(hctx, key)
	cancel()
	v := res.Validity
	switch {
	case err == nil && v == auth.Valid:
	case err == nil && v == auth.Expired:
		a.notify("That key has expired", "Anytype no longer accepts it, so it was not saved. Choose New API key… to pair a new one.")
		return
	case err == nil && v == auth.Rejected:
		a.notify("Anytype rejected that key", "Check that you pasted the whole key and that it is not revoked (Settings → API Keys). Nothing was saved.")
		return
	case v == auth.Unreachable || errors.Is(err, auth.ErrNotRunning):
		a.notRunning()
		return
	default:
		a.notify("Could not check the key", err.Error())
		return
	}

	e := keystore.Entry{
		Name:       name,
		APIURL:     c.BaseURL(),
		CreatedAt:  time.Now().UTC().Truncate(time.Second),
		APIVersion: a.snapshot().APIVersion,
		Kind:       string(res.Kind),
	}
	// What Anytype said about the key (whoami in its own shape; a grant
	// it did not say clearly is not claimed).
	if res.Grant != nil {
		if g, err := json.Marshal(res.Grant); err == nil {
			e.Grant = g
		}
	}
	if !res.ExpiresAt.IsZero() {
		e.ExpiresAt = res.ExpiresAt.UTC().Format(time.RFC3339)
	}
	kctx, cancel := context.WithTimeout(ctx, keystore.KeychainTimeout)
	err = a.d.Store.Set(kctx, e, key, false)
	cancel()
	if err != nil {
		a.notify(fmt.Sprintf("Key %q NOT saved", name), fmt.Sprintf("Saving failed: %v. The key is still in Anytype: Settings → API Keys.", err))
		return
	}
	a.reloadKeys(ctx)
	body := "Anytype accepted it. Copy it any time from the anykey menu."
	switch {
	case res.Kind == auth.KindLimited:
		body = "Anytype accepted it. It has Limited scope: anytype-mcp and other /v1 tools work with it, but /v2 tools and Anytype's own MCP endpoint refuse it."
	case scopedNote(e.Grant) != "":
		body = "Anytype accepted it. " + scopedNote(e.Grant)
	}
	if exp := expiryOf(e); !exp.IsZero() {
		body += fmt.Sprintf(" It expires on %s.", exp.Local().Format("2006-01-02 15:04"))
	}
	a.notify(fmt.Sprintf("Key %q saved", name), body)
}

// sentence makes one of pairing's lowercase command-line notes a sentence
// of a notification: capitalised, with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}
