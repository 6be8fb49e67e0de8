package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/clip"
	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/anykey-app/anykey/keystore"
)

// listItem is one element of list --json. Field names are part of the CLI
// contract; there is deliberately no field that could hold a secret.
type listItem struct {
	Name       string          `json:"name"`
	APIURL     string          `json:"api_url"`
	CreatedAt  string          `json:"created_at"`
	APIVersion string          `json:"api_version"`
	Grant      json.RawMessage `json:"grant,omitempty"`
	// Kind is "legacy", "scoped" or "limited" as Anytype said when the
	// key was saved; absent when it did not say.
	Kind string `json:"kind,omitempty"`
	// ExpiresAt is when Anytype stops accepting the key (RFC 3339, UTC);
	// absent for a key that does not expire, or when Anytype did not say.
	ExpiresAt string `json:"expires_at,omitempty"`
	// Expired is set once ExpiresAt has passed.
	Expired bool `json:"expired,omitempty"`
	// State is present, locked or missing; unknown when the keychain
	// could not be asked (list then exits 1 and says why).
	State   string `json:"state"`
	Missing bool   `json:"missing"`
	// Invalid says why keys.json's entry is refused ("" when it is not).
	Invalid string `json:"invalid,omitempty"`
}

func (c *cli) cmdList(args []string) int {
	fs := newFlags("list")
	asJSON := fs.Bool("json", false, "")
	if _, err := c.flags(fs, args, 0, 0); err != nil {
		return parseExit(err)
	}
	st, err := c.store()
	if err != nil {
		return c.fail(err, where{})
	}
	entries, err := st.List(c.ctx)
	status := exitOK
	if err != nil {
		if entries == nil || !errors.Is(err, keystore.ErrUnavailable) {
			return c.fail(err, where{})
		}
		// keys.json was read but the keychain could not be asked: the names
		// are still worth showing; their states are not known.
		defer func() { c.fail(err, where{}) }()
		status = exitFailure
	}
	locked := 0
	for _, e := range entries {
		if e.Locked {
			locked++
		}
	}
	if locked > 0 {
		defer func() {
			c.say("the keychain is locked: %d of %d keys cannot be read until it is unlocked", locked, len(entries))
			c.hint("%s", unlockHint(c.provider()))
		}()
	}
	if *asJSON {
		items := make([]listItem, 0, len(entries))
		for _, e := range entries {
			state := string(e.State())
			if err != nil {
				state = "unknown"
			}
			it := listItem{
				Name: e.Name, APIURL: e.APIURL, CreatedAt: e.CreatedAt.UTC().Format(time.RFC3339),
				APIVersion: e.APIVersion, Grant: e.Grant, Kind: string(kindOf(e)), State: state, Missing: e.Missing, Invalid: e.Invalid,
			}
			if exp := expiryOf(e); !exp.IsZero() {
				it.ExpiresAt, it.Expired = exp.UTC().Format(time.RFC3339), !exp.After(c.now())
			}
			items = append(items, it)
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(items); err != nil {
			return c.fail(err, where{})
		}
		if len(entries) == 0 {
			c.say("no keys saved yet")
		}
		return status
	}
	if len(entries) == 0 {
		c.say("no keys saved yet")
		c.hint("anykey pair NAME makes one")
		return status
	}
	rows := [][]string{{"NAME", "API URL", "CREATED", "KIND", "SCOPE", "EXPIRES", ""}}
	bad := 0
	for _, e := range entries {
		note := ""
		switch e.State() {
		case keystore.StateMissing:
			note = "missing from keychain"
		case keystore.StateLocked:
			note = "locked in keychain"
		}
		expires := ""
		if exp := expiryOf(e); !exp.IsZero() {
			expires = dateText(exp)
			switch {
			case !exp.After(c.now()):
				note = joinNote(note, "EXPIRED: anykey rotate "+quoteArg(e.Name))
			case exp.Sub(c.now()) < expiringWithin:
				note = joinNote(note, "expires soon: anykey rotate "+quoteArg(e.Name))
			}
		}
		if e.Invalid != "" {
			note, bad = "INVALID ENTRY: "+e.Invalid, bad+1
		}
		// keys.json is input: a name or URL typed into it may hold
		// terminal controls.
		rows = append(rows, []string{textsafe.Terminal(e.Name), textsafe.Terminal(e.APIURL),
			e.CreatedAt.Local().Format("2006-01-02 15:04"), kindText(kindOf(e)), scopeText(grantOf(e)), expires, note})
	}
	out := table(rows)
	if _, err := io.WriteString(c.stdout, out); err != nil {
		return c.fail(err, where{})
	}
	if bad > 0 {
		c.say("%d entries in keys.json are not valid; their keys are not handed out", bad)
		c.hint("repair them in %s, or remove them with anykey rm NAME", c.indexPath())
	}
	return status
}

// joinNote adds b to the list-row note a.
func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// table lays rows out in columns two spaces apart, padded by display
// width (displayWidth: a CJK character or an emoji takes two terminal
// cells, a combining accent none), with no trailing blanks. A column
// whose cells are empty in every row but the header is left out.
func table(rows [][]string) string {
	var keep []int
	for i := range rows[0] {
		if i == 0 || !allEmpty(rows[1:], i) {
			keep = append(keep, i)
		}
	}
	for j, r := range rows {
		kept := make([]string, len(keep))
		for k, i := range keep {
			// Every cell may hold text from outside (keys.json, a
			// server's grant, another app's config file): cleaned here,
			// at the edge, whatever the caller did.
			kept[k] = textsafe.Terminal(r[i])
		}
		rows[j] = kept
	}
	cols := len(keep)
	widths := make([]int, cols)
	for _, r := range rows {
		for i := 0; i < cols; i++ {
			widths[i] = max(widths[i], displayWidth(r[i]))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		var line strings.Builder
		for i := 0; i < cols; i++ {
			line.WriteString(r[i])
			if i < cols-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-displayWidth(r[i])+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

func allEmpty(rows [][]string, col int) bool {
	for _, r := range rows {
		if r[col] != "" {
			return false
		}
	}
	return true
}

// cmdGet is the hot path scripts call: one keychain lookup, no network, no
// client, nothing else.
func (c *cli) cmdGet(args []string) int {
	pos, err := c.flags(newFlags("get"), args, 1, 1)
	if err != nil {
		return parseExit(err)
	}
	w := where{name: pos[0]}
	st, err := c.store()
	if err != nil {
		return c.fail(err, w)
	}
	secret, err := st.Get(c.ctx, pos[0])
	if err != nil {
		return c.fail(err, w)
	}
	fmt.Fprintln(c.stdout, secret)
	return exitOK
}

// secretFor returns a key's metadata and secret.
func (c *cli) secretFor(name string) (keystore.Entry, string, error) {
	st, err := c.store()
	if err != nil {
		return keystore.Entry{}, "", err
	}
	e, err := st.Lookup(c.ctx, name)
	if err != nil {
		return e, "", err
	}
	secret, err := st.Get(c.ctx, name)
	if err != nil {
		return e, "", err
	}
	if e.APIURL == "" {
		e.APIURL = auth.DesktopURL
	}
	return e, secret, nil
}

func (c *cli) cmdCopy(args []string) int {
	fs := newFlags("copy")
	clearAfter := fs.String("clear-after", "", "")
	pos, err := c.flags(fs, args, 1, 1)
	if err != nil {
		return parseExit(err)
	}
	w := where{name: pos[0]}
	var d time.Duration
	if *clearAfter != "" {
		if d, err = clip.ParseDuration(*clearAfter); err != nil {
			return c.usageError("copy: --clear-after: " + err.Error())
		}
	} else if d, err = clip.ClearAfter(c.getenv); err != nil {
		c.say("%v", err)
		c.hint("set %s to a number of seconds, a duration such as 2m (at most 24h), or 0 to keep the key", clip.EnvClearAfter)
		return exitUsage
	}
	_, secret, err := c.secretFor(pos[0])
	if err != nil {
		return c.fail(err, w)
	}
	if err := c.copy(secret, d); err != nil {
		code := c.fail(err, w)
		if !errors.Is(err, clip.ErrNoTool) && runtime.GOOS == "linux" {
			var session []string
			for _, v := range []string{"WAYLAND_DISPLAY", "DISPLAY"} {
				if s := c.getenv(v); s != "" {
					session = append(session, v+"="+s)
				}
			}
			if len(session) == 0 {
				c.hint("the clipboard needs a graphical session: neither DISPLAY nor WAYLAND_DISPLAY is set")
			} else {
				c.hint("the clipboard needs a running graphical session: is the one at %s still running? run anykey from a terminal inside it", strings.Join(session, ", "))
			}
		}
		return code
	}
	if d > 0 {
		c.say("copied key %q to the clipboard; it will be cleared in %v", pos[0], d)
	} else {
		c.say("copied key %q to the clipboard; it will not be cleared", pos[0])
	}
	return exitOK
}

func (c *cli) cmdRm(args []string) int {
	pos, err := c.flags(newFlags("rm"), args, 1, 1)
	if err != nil {
		return parseExit(err)
	}
	name := pos[0]
	w := where{name: name}
	st, err := c.store()
	if err != nil {
		return c.fail(err, w)
	}
	if err := st.Delete(c.ctx, name); err != nil {
		return c.fail(err, w)
	}
	if msg, hint := deletedNote(c.provider(), name); msg != "" {
		c.say("%s", msg)
		c.hint("%s", hint)
	} else {
		c.say("removed key %q from this computer", name)
	}
	c.hint("the key still works until you revoke it in Anytype: Settings → API Keys → revoke the key named %q", name)
	if using := c.clientsUsing(name); len(using) > 0 {
		c.say("MCP client entries still start key %q, and will fail: %s", name, strings.Join(using, ", "))
		c.hint("anykey mcp --uninstall CLIENT %s removes each, or anykey mcp --install CLIENT OTHERNAME points it at another key", quoteArg(name))
	}
	return exitOK
}
