package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/clip"
	"github.com/anykey-app/anykey/handoff"
	"github.com/anykey-app/anykey/internal/busdial"
	"github.com/anykey-app/anykey/internal/safefile"
	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/anykey-app/anykey/keystore"
	"github.com/anykey-app/anykey/pairing"
)

// Hints shared by several failure classes.
const (
	hintStartAnytype = "start Anytype and log in; anytype-cli users: --api-url " + auth.CLIURL
	hintKeyring      = "start or unlock your keyring (e.g. gnome-keyring, KeePassXC with its Secret Service integration on, or KWallet), then try again"
	hintList         = "anykey list shows the saved names"
)

// where names what a failure was about, for the message.
type where struct {
	name string // key name, "" if none
	url  string // API URL, "" if none
}

// fail reports err as one clear line plus hints and returns the exit status.
// It is the only place that turns internal errors into sentences.
func (c *cli) fail(err error, w where) int {
	var (
		timeout  *keystore.TimeoutError
		saveErr  *pairing.SaveError
		badURL   *urlError
		listener *auth.ListenerError
		badEntry *keystore.BadEntryError
	)
	switch {
	case errors.As(err, &listener):
		return c.failListener(listener)
	case errors.As(err, &badEntry):
		c.say("the entry %q in keys.json is not valid, so its key is not handed out: %s", textsafe.Terminal(badEntry.Name), badEntry.Reason)
		c.hint("repair it in %s, or remove it with anykey rm %s and pair again", c.indexPath(), quoteArg(textsafe.Terminal(badEntry.Name)))
		return exitFailure
	case errors.As(err, &saveErr):
		return c.failSave(saveErr, w)

	case errors.As(err, &badURL), errors.Is(err, auth.ErrNotLoopback):
		c.say("%v", err)
		c.hint("use a local address such as %s (the desktop app) or %s (anytype-cli)", auth.DesktopURL, auth.CLIURL)
		return exitUsage
	case errors.Is(err, keystore.ErrInvalidName):
		c.say("%v", err)
		c.hint("a name is 1–64 printable characters, without '/', not starting with '-', without spaces at either end")
		return exitUsage

	case errors.Is(err, auth.ErrNotRunning):
		c.say("Anytype is not running at %s (or nobody is logged in)", urlOr(w.url))
		c.hint(hintStartAnytype)
	case errors.Is(err, auth.ErrRequestOpen):
		c.say("Anytype refused a new pairing request: an anykey request is already open in Anytype (or was denied)")
		c.hint("answer it there (allow, or deny it), then run anykey %s %s again; Anytype keeps an unanswered request open for up to 3 minutes, and forgets a denied one when it restarts", c.pairCmd(), quoteArg(w.name))
	case errors.Is(err, auth.ErrChallengeRefused):
		c.say("Anytype refused to start pairing")
		c.hint("if Anytype shows an anykey request, answer it there first: newer Anytype refuses a new request while one is open (for up to 3 minutes) and after a denial until it restarts; otherwise Anytype's limit of pairing requests per run is used up — restart Anytype, then try again")
	case errors.Is(err, pairing.ErrTooManyTries):
		// Not "used up": newer Anytype does not count codes typed before
		// the user allowed the request, and answers them as wrong ones.
		c.say("Anytype did not accept any of the %d codes typed; anykey stopped asking", pairing.MaxTries)
		c.hint("if Anytype asks you to allow anykey's request, answer that prompt first: codes typed before it are refused. The request stays open there for up to 3 minutes, and Anytype refuses a new one until then; after that, run anykey %s %s again and type the code Anytype shows", c.pairCmd(), quoteArg(w.name))
	case errors.Is(err, pairing.ErrTooManyInvalid):
		c.say("stopped: %v", unwrapText(err, pairing.ErrTooManyInvalid))
		c.hint("the code is the 4 digits Anytype shows; run anykey pair %s again to start a new request", quoteArg(w.name))
	case errors.Is(err, errNoInput):
		c.say("%v; nothing was asked of Anytype", errNoInput)
		c.hint("run anykey %s %s in a terminal, or pipe the code in once Anytype shows it", c.pairCmd(), quoteArg(w.name))
	case errors.Is(err, errLineTooLong):
		c.say("stopped: %v; nothing was saved", errLineTooLong)
		c.hint("pipe only the key or the code into anykey, one per line; or run it in a terminal and paste it at the prompt")
	case errors.Is(err, pairing.ErrCanceled):
		c.say("%v; nothing was saved", err)
		if c.cmd == "pair" || c.cmd == "rotate" {
			c.hint("if Anytype still shows anykey's request, deny it there: while it is open (up to 3 minutes) Anytype refuses a new one")
		}
	case errors.Is(err, auth.ErrCodeRejected):
		c.say("Anytype did not accept the code")
	case errors.Is(err, auth.ErrTimeout):
		c.say("Anytype at %s did not answer in time", urlOr(w.url))
		c.hint("Anytype may be busy or stuck: restart it and try again")
	case errors.Is(err, auth.ErrUnexpectedResponse), errors.Is(err, auth.ErrBadRequest):
		c.say("unexpected answer from %s: %v", urlOr(w.url), err)
		c.hint("is that Anytype? an up-to-date Anytype desktop app or anytype-cli answers there")

	case errors.As(err, &timeout):
		c.say("the keychain did not answer in time: %v", err)
		c.hint("%s", c.keyringHint())
	case errors.Is(err, keystore.ErrNoPrompt):
		c.noUnlockPrompt()
	case errors.Is(err, keystore.ErrLocked):
		c.say("the keychain is locked and was not unlocked: %v", err)
		c.hint("%s; then try again", unlockHint(c.provider()))
	case errors.Is(err, keystore.ErrUnavailable):
		c.keychainUnavailable(err)
	case errors.Is(err, safefile.ErrNotOwned):
		c.say("not used: %s", unwrapText(err, keystore.ErrCorruptIndex))
		c.hint("anykey reads only files and directories of your own user, since their owner can change them; have it moved away (by its owner, or root): anykey makes a new one")
	case errors.Is(err, safefile.ErrNotRegular):
		c.say("%v", err)
		c.hint("nothing was read or changed there: put a regular file in its place (or move it away), then try again")
	case errors.Is(err, keystore.ErrCorruptIndex):
		c.say("%v", err)
		c.hint("the file was left untouched: %s — repair or move it away, then try again", c.indexPath())
	case errors.Is(err, keystore.ErrSecretMissing):
		c.say("the key %q is listed but its secret is missing from the keychain", w.name)
		c.hint("anykey rm %s, then pair or add it again", quoteArg(w.name))
	case errors.Is(err, keystore.ErrNotFound):
		c.say("no key named %q", w.name)
		c.hint(hintList)
	case errors.Is(err, keystore.ErrExists):
		c.say("a key named %q already exists", c.savedName(w.name))
		c.hint("use --force to replace it, or choose another name")

	case errors.Is(err, errNoConfigDir):
		c.say("%v", err)
		c.hint("set HOME, or XDG_CONFIG_HOME, to an absolute path (an MCP client's entry sets it in its env), or %s to anykey's config directory", keystore.EnvDir)
	case errors.Is(err, clip.ErrNoTool):
		c.say("no clipboard tool found")
		c.hint("%s", clip.InstallHint())
	default:
		c.say("%v", err)
	}
	return exitFailure
}

// failListener reports an API port held by someone else: nothing was sent.
func (c *cli) failListener(e *auth.ListenerError) int {
	if errors.Is(e, auth.ErrListenerUnknown) {
		c.say("nothing was sent to %s: %v", e.Addr, e.Err)
		c.hint("anykey sends codes and keys only to a program of your own user; if Anytype runs where its owner cannot be seen (a forwarded port), %s=* turns the check off", auth.EnvTrustListenerOwner)
		return exitFailure
	}
	c.say("%s is held by user %s, not by you: nothing was sent there", e.Addr, textsafe.Terminal(e.Owner))
	if v := e.TrustValue(); v != "" {
		c.hint("quit the program of user %s on that port and start Anytype; if it is your Anytype run by a service account, allow it with %s=%s", textsafe.Terminal(e.Owner), auth.EnvTrustListenerOwner, v)
	} else {
		c.hint("quit the program of user %s on that port and start Anytype; if it is your Anytype run by a service account, add that account to %s", textsafe.Terminal(e.Owner), auth.EnvTrustListenerOwner)
	}
	return exitFailure
}

// errNoConfigDir: the environment names no config directory (no HOME).
var errNoConfigDir = errors.New("cannot tell where anykey's config directory is")

// sessionBusNote is findSessionBus's message ("" when there is a bus),
// from the last time the real keychain was opened.
var sessionBusNote string

// keychainUnavailable reports a keychain that cannot be used, with the
// cause when it can be told (no session bus, no Secret Service, locked):
// errors that do not say are diagnosed with keystore.Ready.
func (c *cli) keychainUnavailable(err error) {
	cause := err
	if !isKnownCause(err) && c.st != nil {
		if rerr := keystore.Ready(c.ctx, c.st); isKnownCause(rerr) {
			cause = rerr
		}
	}
	var foreign *busdial.ForeignError
	var transport *busdial.TransportError
	switch {
	case errors.As(cause, &transport):
		c.say("the keychain was not used: %v; nothing was sent to it", transport)
		c.hint("%s", hintTransportBus)
	case errors.As(cause, &foreign):
		c.say("the keychain was not used: %v; nothing was sent to it", foreign)
		if strings.HasPrefix(foreign.What, "the D-Bus session bus") {
			c.hint("%s", hintForeignBus)
		} else {
			c.hint("a program of user %s owns org.freedesktop.secrets on your session bus: stop it, then start your own keyring (gnome-keyring, KeePassXC or KWallet)", foreign.Owner())
		}
	case busdial.IsSilent(cause):
		c.say("the keychain is not available: %s", textsafe.Terminal(cause.Error()))
		c.hint("%s", hintSilentBus)
	case errors.Is(cause, keystore.ErrNoSessionBus) && sessionBusNote != "":
		// findSessionBus knows where it looked.
		fmt.Fprintln(c.stderr, sessionBusNote)
	case errors.Is(cause, keystore.ErrNoSessionBus):
		c.say("the keychain is not available: %v", keystore.ErrNoSessionBus)
		c.hint("run anykey in a terminal of your desktop session; over ssh or in a container, start a session bus and a keyring first: dbus-run-session -- sh, then gnome-keyring-daemon --unlock in it")
	case errors.Is(cause, keystore.ErrNoSecretService):
		c.say("the keychain is not available: %v", keystore.ErrNoSecretService)
		c.hint("install and start a Secret Service provider: sudo apt install gnome-keyring (or KeePassXC with Secret Service integration, or KWallet); then log out and in")
	case errors.Is(cause, keystore.ErrNoCollection):
		what, hint := noCollection(c.provider())
		c.say("the keychain is not available: %s", what)
		c.hint("%s", hint)
	case errors.Is(cause, keystore.ErrNoPrompt):
		c.noUnlockPrompt()
	case errors.Is(cause, keystore.ErrLocked):
		c.say("the keychain is locked and was not unlocked")
		c.hint("%s; then try again", unlockHint(c.provider()))
	default:
		c.say("the keychain is not available: %v", err)
		c.hint("%s", c.keyringHint())
	}
}

// hintForeignBus is for a session bus address where another user's bus
// listens.
var hintForeignBus = fmt.Sprintf("DBUS_SESSION_BUS_ADDRESS may be left from a session that has ended (a tmux or screen shell outlives it): run anykey from a terminal of your current desktop session, or unset DBUS_SESSION_BUS_ADDRESS to use /run/user/%d/bus", os.Getuid())

// hintTransportBus is for a session bus address that is not a Unix socket
// (busdial.TransportError).
var hintTransportBus = fmt.Sprintf("set DBUS_SESSION_BUS_ADDRESS to the unix:path=… address of your session bus, or unset it to use /run/user/%d/bus", os.Getuid())

// hintSilentBus is for a session bus address that connects but never
// answers.
const hintSilentBus = "DBUS_SESSION_BUS_ADDRESS (or XDG_RUNTIME_DIR) may belong to a session that has ended: run anykey from a terminal of your current desktop session, or check that its dbus-daemon or dbus-broker is running"

func isKnownCause(err error) bool {
	return busdial.IsRefused(err) || errors.Is(err, keystore.ErrNoSessionBus) || errors.Is(err, keystore.ErrNoSecretService) ||
		errors.Is(err, keystore.ErrNoCollection) || errors.Is(err, keystore.ErrLocked)
}

// failSave handles a key Anytype minted that could not be saved: the key is
// printed on stdout, because it is the only copy anykey has.
func (c *cli) failSave(e *pairing.SaveError, w where) int {
	if e.Key != nil {
		fmt.Fprintln(c.stdout, e.Key.Secret)
	}
	c.say("the new key %q was NOT saved: %v", w.name, e.Err)
	c.hint("the key is printed above and nowhere else: store it safely now (a password manager)")
	var timeout *keystore.TimeoutError
	switch {
	case errors.Is(e.Err, keystore.ErrNoCollection):
		_, hint := noCollection(c.provider())
		c.hint("%s", hint)
	case errors.Is(e.Err, keystore.ErrUnavailable) || errors.As(e.Err, &timeout):
		c.hint("%s", c.keyringHint())
	}
	if c.cmd == "rotate" {
		c.hint("later, anykey add %s --force reads it from stdin and saves it in place of the old one", quoteArg(w.name))
	} else {
		c.hint("later, anykey add %s reads it from stdin and saves it", quoteArg(w.name))
	}
	return exitFailure
}

// unwrapText is err's text after sentinel's own, for a sentence that
// words the sentinel itself.
func unwrapText(err, sentinel error) string {
	s := err.Error()
	if i := strings.Index(s, sentinel.Error()+": "); i >= 0 {
		return s[i+len(sentinel.Error())+2:]
	}
	return s
}

// savedName is how the key that name refers to is spelt in the store
// ("Work" for "work"), or name when the store cannot say.
func (c *cli) savedName(name string) string {
	if c.st == nil || name == "" {
		return name
	}
	if e, err := c.st.Lookup(c.ctx, name); err == nil {
		return e.Name
	}
	return name
}

// indexPath names keys.json for messages, when the store has one.
func (c *cli) indexPath() string {
	if p, ok := c.st.(interface{ IndexPath() string }); ok {
		return p.IndexPath()
	}
	return "keys.json in anykey's config directory"
}

func urlOr(u string) string {
	if u == "" {
		return auth.DesktopURL
	}
	return u
}

// quoteArg is a key name for a command line shown in a hint, where it
// must be the last word ([handoff.NameArg]).
func quoteArg(s string) string {
	if s == "" {
		return "NAME"
	}
	return handoff.NameArg(s)
}

// pairCmd is the command that starts a new pairing request for the
// running command: rotate for rotate, else pair.
func (c *cli) pairCmd() string {
	if c.cmd == "rotate" {
		return "rotate"
	}
	return "pair"
}

// noUnlockPrompt reports a keychain that stayed locked without showing an
// unlock prompt ([keystore.ErrNoPrompt]: no display, or no prompter for
// the provider to start): the hint cannot be to answer one.
func (c *cli) noUnlockPrompt() {
	p := c.provider()
	name := p.Name
	if name == "" {
		name = "your keyring"
	}
	c.say("the keychain is locked, and %s could not show an unlock prompt here", name)
	where := "from your desktop session"
	if p.Name == keystore.ProviderGNOMEKeyring {
		where = "in Passwords and Keys (seahorse) in your desktop session"
	}
	c.hint("unlock %s yourself, %s; then try again", name, where)
}
