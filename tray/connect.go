package tray

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/anykey-app/anykey/handoff"
	"github.com/anykey-app/anykey/handoff/mcpconfig"
	"github.com/anykey-app/anykey/keystore"
)

// Connector reads and changes MCP clients' config files for the "Connect
// to" items. [MCPConnector] is the real one.
type Connector interface {
	// Scan lists the clients set up on this machine and the key each one's
	// anytype entry uses.
	Scan() []Connection
	// Connect installs key's keyless entry into client (on) or removes it,
	// and returns a notification saying what changed.
	Connect(ctx context.Context, client, key string, on bool) (title, body string, err error)
	// Config is key's keyless entry as a config document to paste into a
	// client, the same bytes `anykey mcp NAME` prints. It holds no secret.
	Config(key string) ([]byte, error)
}

// MCPConnector is the [Connector] over package mcpconfig.
type MCPConnector struct {
	Env mcpconfig.Env
	// Entry builds the keyless entry for a key: `anykey mcp serve NAME`,
	// under a path of anykey that lasts.
	Entry func(key string) (mcpconfig.Entry, error)
}

// Config is the keyless entry in [mcpconfig.DefaultClient]'s shape.
func (m MCPConnector) Config(key string) ([]byte, error) {
	c, ok := mcpconfig.Lookup(mcpconfig.DefaultClient)
	if !ok {
		return nil, fmt.Errorf("unknown MCP client %q", mcpconfig.DefaultClient)
	}
	e, err := m.Entry(key)
	if err != nil {
		return nil, err
	}
	return c.Snippet(e), nil
}

// Scan lists every editable client whose config directory exists.
func (m MCPConnector) Scan() []Connection {
	var out []Connection
	for _, c := range mcpconfig.Clients() {
		if !c.Editable() {
			continue
		}
		// Without HOME the directory would be relative to wherever the
		// tray was started.
		d := c.Dir(m.Env)
		if !filepath.IsAbs(d) {
			continue
		}
		if _, err := os.Stat(d); err != nil {
			continue
		}
		conn := Connection{Client: c.ID, Name: c.Name}
		if st, err := c.ReadStatus(m.Env); err == nil && st.Ours {
			conn.Key, conn.Old = st.Key, st.Form == mcpconfig.ExecMask
		}
		out = append(out, conn)
	}
	return out
}

// Connect installs or removes; never with force: a foreign entry is the
// user's to replace, from the command line.
func (m MCPConnector) Connect(ctx context.Context, client, key string, on bool) (string, string, error) {
	c, ok := mcpconfig.Lookup(client)
	if !ok {
		return "", "", fmt.Errorf("unknown MCP client %q", client)
	}
	var (
		res mcpconfig.Result
		err error
	)
	if on {
		var e mcpconfig.Entry
		if e, err = m.Entry(key); err != nil {
			return "", "", err
		}
		res, err = mcpconfig.Install(ctx, c, m.Env, e, false)
	} else {
		res, err = mcpconfig.Uninstall(ctx, c, m.Env, key, false)
	}
	var ce *mcpconfig.ConflictError
	var ne *mcpconfig.NeedCLIError
	switch {
	case errors.As(err, &ce):
		return "", "", fmt.Errorf("%v. To replace it: anykey mcp --install %s --force %s", err, client, handoff.NameArg(key))
	case errors.As(err, &ne):
		return "", "", fmt.Errorf("%v: anykey mcp --client %s %s shows it", err, client, handoff.NameArg(key))
	case err != nil:
		return "", "", err
	}
	if !on {
		return fmt.Sprintf("Disconnected %s from %q", c.Name, key), res.File + ": removed. " + c.Reload + ".", nil
	}
	body := res.File + ": " + res.Change.String() + " (no key in it)."
	if res.Backup != "" {
		body += " Previous file: " + res.Backup + "."
	}
	return fmt.Sprintf("Connected %s to %q", c.Name, key), body + " " + c.Reload + ".", nil
}

// refreshClients re-reads which clients hold which key.
func (a *App) refreshClients() {
	if a.d.MCP == nil {
		return
	}
	clients := a.d.MCP.Scan()
	a.mu.Lock()
	a.state.Clients = clients
	a.mu.Unlock()
}

// connect toggles one "Connect to" item: it installs the key's entry, or
// removes it when the client already holds this key's entry; an old
// exec --mask entry for the key is updated in place instead.
func (a *App) connect(ctx context.Context, act Action) {
	if a.d.MCP == nil {
		return
	}
	on := true
	for _, c := range a.snapshot().Clients {
		if c.Client == act.Client && c.Key == act.Key && !c.Old {
			on = false
		}
	}
	title, body, err := a.d.MCP.Connect(ctx, act.Client, act.Key, on)
	if err != nil {
		a.notify("Could not change the MCP client's settings", err.Error())
	} else {
		a.notify(title, body)
	}
	a.refreshClients()
	a.trigger()
}

// copyMCP copies name's keyless MCP config, the JSON `anykey mcp NAME`
// prints: the client starts `anykey mcp serve NAME`, which reads the key
// from the keychain.
// The config holds no secret, so the keychain is not read and the
// clipboard is not cleared; the key must still be saved here, or the
// client would only fail later.
func (a *App) copyMCP(ctx context.Context, name string) {
	const failed = "Could not make the MCP config"
	cli := fmt.Sprintf("Run `anykey mcp %s` in a terminal instead.", handoff.NameArg(name))
	if a.d.MCP == nil {
		a.notify(failed, cli)
		return
	}
	kctx, cancel := context.WithTimeout(ctx, keystore.KeychainTimeout)
	e, err := a.d.Store.Lookup(kctx, name)
	cancel()
	if err == nil && e.Missing {
		err = fmt.Errorf("key %q: %w", name, keystore.ErrSecretMissing)
	}
	if err != nil {
		a.notifyKeyProblem(ctx, name, err)
		return
	}
	cfg, err := a.d.MCP.Config(name)
	if err != nil {
		a.notify(failed, err.Error()+" "+cli)
		return
	}
	if a.copyText(string(cfg), 0) {
		a.notify(fmt.Sprintf("Copied MCP config for %q", name),
			strings.TrimSpace("It holds no key: the client starts anykey, which reads the key from your keychain. "+
				"Paste it into the client's MCP settings (mcpServers). "+scopedNote(e.Grant)))
	}
}

// clientsStillUsing is the sentence a removal notice adds when MCP clients'
// entries still start the removed key (they will fail), "" otherwise.
func clientsStillUsing(clients []Connection, key string) string {
	var names []string
	for _, c := range clients {
		if c.Key == key {
			names = append(names, c.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	verb, them := "starts", "it"
	if len(names) > 1 {
		verb, them = "start", "them"
	}
	return fmt.Sprintf(" %s still %s it, and will fail: connect %s to another key, or run anykey mcp --uninstall CLIENT %s.",
		strings.Join(names, ", "), verb, them, handoff.NameArg(key))
}
