package mcpconfig

import (
	"context"
	"os"
	"strings"
	"testing"
)

// oldEntry is the exec --mask entry anykey wrote before mcp serve.
func oldEntry(key string) Entry {
	return Entry{Command: "/opt/anykey/bin/anykey",
		Args: []string{"exec", "--mask", key, "--", "/home/u/.local/state/fnm_multishells/123_456/bin/npx", "-y", AnytypeMCP},
		Env:  map[string]string{"PATH": "/home/u/.local/state/fnm_multishells/123_456/bin:/usr/bin:/bin"}}
}

// TestUpgradeInPlace: --install replaces the exec --mask entry anykey wrote
// before, without --force, where it stood; the second time changes nothing.
// Every file client, and Codex's table carries env_vars.
func TestUpgradeInPlace(t *testing.T) {
	ctx := context.Background()
	for _, c := range fileClients() {
		t.Run(c.ID, func(t *testing.T) {
			env := testEnv(t)
			data, keep := fixture(c)
			if err := os.MkdirAll(env.parent(c.File(env)), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(c.File(env), []byte(data), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := Install(ctx, c, env, oldEntry("work"), false); err != nil {
				t.Fatal(err)
			}
			st, _ := c.ReadStatus(env)
			if st.Form != ExecMask || st.Key != "work" {
				t.Fatalf("old entry read as %+v", st)
			}
			before, _ := os.ReadFile(c.File(env))
			res, err := Install(ctx, c, env, keyless("work"), false)
			if err != nil || res.Change != Replaced || res.KeyDropped {
				t.Fatalf("upgrade: %+v, %v", res, err)
			}
			if b, _ := os.ReadFile(res.Backup); string(b) != string(before) {
				t.Error("the backup is not the file as it was")
			}
			after, _ := os.ReadFile(c.File(env))
			for _, k := range keep {
				if !strings.Contains(string(after), k) {
					t.Errorf("lost %q:\n%s", k, after)
				}
			}
			// In place: the entry stands where the old one stood, before
			// the other server in the same container.
			if i, j := strings.Index(string(after), "serve"), strings.Index(string(after), "fnm_multishells"); i < 0 || j >= 0 {
				t.Errorf("not upgraded:\n%s", after)
			}
			st, _ = c.ReadStatus(env)
			if st.Form != Serve || st.Key != "work" {
				t.Fatalf("new entry read as %+v", st)
			}
			if c.Format == TOML {
				if strings.Join(st.Entry.EnvVars, ",") != SessionBusVar || !strings.Contains(string(after), `env_vars = ['DBUS_SESSION_BUS_ADDRESS']`) {
					t.Errorf("codex entry without env_vars:\n%s", after)
				}
			} else if strings.Contains(string(after), "env_vars") || strings.Contains(string(after), SessionBusVar) {
				t.Errorf("env_vars in a %s file:\n%s", c.ID, after)
			}
			res, err = Install(ctx, c, env, keyless("work"), false)
			if err != nil || res.Change != Unchanged {
				t.Fatalf("second upgrade: %+v, %v", res, err)
			}
			if again, _ := os.ReadFile(c.File(env)); string(again) != string(after) {
				t.Error("the second --install changed the file")
			}
		})
	}
}

// TestForceNeverBacksUpAKey: --force over an entry holding a key in plain
// text (Anytype's own "Copy MCP config", anykey mcp --inline, an HTTP entry
// with an Authorization header) keeps no backup and says so; over a
// keyless foreign entry it keeps one.
func TestForceNeverBacksUpAKey(t *testing.T) {
	ctx := context.Background()
	const secret = "sk-anytype-0123456789abcdef"
	inline := Inline([]string{"npx", "-y", AnytypeMCP}, "", map[string]string{
		"OPENAPI_MCP_HEADERS": `{"Authorization":"Bearer ` + secret + `", "Anytype-Version":"2025-11-08"}`})
	for _, c := range fileClients() {
		for _, tc := range []struct {
			name   string
			old    Entry
			header bool // an HTTP entry, written as text
			keyed  bool
		}{
			{"inline", inline, false, true},
			{"api key var", Entry{Command: "anytype-mcp", Env: map[string]string{"ANYTYPE_API_KEY": secret}}, false, true},
			{"http header", Entry{}, true, true},
			{"foreign", Entry{Command: "/usr/bin/other-server", Args: []string{"-v"}}, false, false},
		} {
			if tc.header && c.Format == TOML {
				continue
			}
			t.Run(c.ID+"/"+tc.name, func(t *testing.T) {
				env := testEnv(t)
				if tc.header {
					doc := `{"` + c.Container + `": {"anytype": {"type": "http", "url": "http://127.0.0.1:31009/mcp/full", "headers": {"Authorization": "Bearer ` + secret + `"}}}}`
					os.MkdirAll(env.parent(c.File(env)), 0o700)
					if err := os.WriteFile(c.File(env), []byte(doc), 0o600); err != nil {
						t.Fatal(err)
					}
				} else if _, err := Install(ctx, c, env, tc.old, true); err != nil {
					t.Fatal(err)
				}
				os.Remove(c.File(env) + BackupSuffix)
				st, err := c.ReadStatus(env)
				if err != nil || st.HoldsKey != tc.keyed {
					t.Fatalf("status %+v, %v; want HoldsKey %v", st, err, tc.keyed)
				}
				res, err := Install(ctx, c, env, keyless("work"), true)
				if err != nil || res.Change != Replaced || res.KeyDropped != tc.keyed {
					t.Fatalf("got %+v, %v", res, err)
				}
				_, berr := os.Stat(c.File(env) + BackupSuffix)
				if tc.keyed && (res.Backup != "" || berr == nil) || !tc.keyed && (res.Backup == "" || berr != nil) {
					t.Errorf("backup %q (%v), key held: %v", res.Backup, berr, tc.keyed)
				}
				if b, _ := os.ReadFile(c.File(env)); strings.Contains(string(b), secret) {
					t.Errorf("the key is still in the file:\n%s", b)
				}
			})
		}
	}
}
