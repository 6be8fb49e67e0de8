package tray

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/handoff/mcpconfig"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

func TestConnectMenu(t *testing.T) {
	t.Parallel()
	work := keystore.Entry{Name: "work"}
	home := keystore.Entry{Name: "home"}
	gone := keystore.Entry{Name: "old", Missing: true}
	clients := []Connection{{Client: "cursor", Name: "Cursor", Key: "work"}, {Client: "zed", Name: "Zed"}}
	tests := []struct {
		name    string
		key     keystore.Entry
		clients []Connection
		want    []string // the "Connect to" part of the key's submenu
	}{
		{"holder", work, clients, []string{"Connect to", "  Cursor [x]", "  Zed [ ]"}},
		{"other key", home, clients, []string{"Connect to", "  Cursor [ ]", "  Zed [ ]"}},
		{"missing secret", gone, clients, []string{"Connect to [off]", "  Cursor [ ] [off]", "  Zed [ ] [off]"}},
		{"no clients", work, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := keyItem(tt.key, tt.clients, time.Time{})
			var got []string
			if c, ok := findItem(it.Children, LabelConnect); ok {
				got = labels([]Item{c}, "")
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if c, ok := findItem(it.Children, "Cursor"); ok && (c.Action != Action{Kind: ActConnect, Key: tt.key.Name, Client: "cursor"}) {
				t.Errorf("action %+v", c.Action)
			}
		})
	}
	// Placed before Remove…, after the hand-off items.
	l := labels(keyItem(work, clients, time.Time{}).Children, "")
	if i, j := slices.Index(l, "Connect to"), slices.Index(l, "Remove…"); i < 0 || j < i {
		t.Errorf("order: %q", l)
	}
}

// TestConnectClick clicks "Connect to › Cursor" twice against real files in
// a HOME of the test's own: installed, checked, notified; then removed.
func TestConnectClick(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".cursor"), 0o700)
	env := mcpconfig.Env{OS: runtime.GOOS, Home: home, Getenv: func(string) string { return "" }}
	e.app.d.MCP = MCPConnector{Env: env, Entry: func(key string) (mcpconfig.Entry, error) {
		return mcpconfig.Keyless(mcpconfig.Launch{Anykey: "/usr/bin/anykey", Key: key, Home: home}), nil
	}}
	e.save(t, "work", "secret-work-key")
	e.app.loadKeys(t.Context())
	s := e.app.snapshot()
	if len(s.Clients) != 1 || s.Clients[0].Client != "cursor" || s.Clients[0].Key != "" {
		t.Fatalf("clients = %+v (only Cursor's directory exists)", s.Clients)
	}

	e.app.handle(t.Context(), Action{Kind: ActConnect, Key: "work", Client: "cursor"})
	if got := lastTitle(e); got != `Connected Cursor to "work"` {
		t.Fatalf("notification %q", got)
	}
	if n := e.notes.all(); !strings.Contains(n[len(n)-1].Body, "restart Cursor") {
		t.Errorf("no restart advice: %q", n[len(n)-1].Body)
	}
	c, _ := mcpconfig.Lookup("cursor")
	if st, _ := c.ReadStatus(env); !st.Holds("work") {
		t.Fatal("the file does not hold the entry")
	}
	if it, _ := findItem(buildMenu(e.app.snapshot()), "Cursor"); !it.Checked {
		t.Error("Cursor is not checked after connecting")
	}
	// Removing a key a client still starts says so.
	if got := clientsStillUsing(e.app.snapshot().Clients, "work"); !strings.Contains(got, "Cursor still starts it, and will fail: connect it to another key") || !strings.Contains(got, "anykey mcp --uninstall CLIENT work") {
		t.Errorf("removal note %q", got)
	}
	if got := clientsStillUsing(e.app.snapshot().Clients, "other"); got != "" {
		t.Errorf("removal note for an unused key %q", got)
	}

	e.app.handle(t.Context(), Action{Kind: ActConnect, Key: "work", Client: "cursor"})
	if got := lastTitle(e); got != `Disconnected Cursor from "work"` {
		t.Fatalf("notification %q", got)
	}
	if st, _ := c.ReadStatus(env); st.Entry != nil {
		t.Fatal("the entry is still there")
	}

	// anykey's old exec --mask entry for the key: the item says so, and
	// choosing it updates the entry in place instead of disconnecting.
	file0 := c.File(env)
	os.WriteFile(file0, []byte(`{"mcpServers":{"anytype":{"command":"/usr/bin/anykey","args":["exec","--mask","work","--","/gone/npx","-y","@anyproto/anytype-mcp"]}}}`), 0o600)
	e.app.refreshClients()
	if it, ok := findItem(buildMenu(e.app.snapshot()), "Cursor (old entry: update)"); !ok || !it.Checked {
		t.Errorf("old entry item: %+v, %v", it, ok)
	}
	e.app.handle(t.Context(), Action{Kind: ActConnect, Key: "work", Client: "cursor"})
	if st, _ := c.ReadStatus(env); st.Form != mcpconfig.Serve || st.Key != "work" {
		t.Fatalf("not updated: %+v", st)
	}
	if n := e.notes.all(); !strings.Contains(n[len(n)-1].Body, "replaced") {
		t.Errorf("update notice %q", n[len(n)-1].Body)
	}
	if _, ok := findItem(buildMenu(e.app.snapshot()), "Cursor"); !ok {
		t.Error("the updated entry's item")
	}

	// A file that does not parse: a notification naming it, file kept.
	file := c.File(env)
	os.WriteFile(file, []byte("{ broken"), 0o600)
	e.app.handle(t.Context(), Action{Kind: ActConnect, Key: "work", Client: "cursor"})
	n := e.notes.all()
	if last := n[len(n)-1]; last.Title != "Could not change the MCP client's settings" || !strings.Contains(last.Body, file) {
		t.Errorf("got %+v", last)
	}
	if b, _ := os.ReadFile(file); string(b) != "{ broken" {
		t.Error("a broken file was changed")
	}
}
