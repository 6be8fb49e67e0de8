package mcpconfig

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestCheckDepth(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth+1)
	for _, tc := range []struct {
		name string
		f    Format
		data string
		ok   bool
	}{
		{"flat", JSONC, `{"a": [1, {"b": 2}]}`, true},
		{"at the limit", JSON, strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth), true},
		{"one over", JSON, deep, false},
		{"closed again", JSON, strings.Repeat("[]", 10*MaxDepth), true},
		{"in a string", JSONC, `{"a": "` + deep + `"}`, true},
		{"escaped quote in a string", JSONC, `{"a": "\"` + deep + `"}`, true},
		{"string then brackets", JSONC, `{"a": "\\"` + deep + `}`, false},
		{"line comment", JSONC, "{ // " + deep + "\n}", true},
		{"block comment", JSONC, "{ /* " + deep + " */ }", true},
		{"after a block comment", JSONC, "{ /* x */ " + deep, false},
		{"toml comment", TOML, "# " + deep + "\na = 1", true},
		{"toml literal string", TOML, `a = '` + deep + `\'`, true},
		{"toml multi-line basic", TOML, `a = """` + "\"" + deep + `"""`, true},
		{"toml multi-line literal", TOML, `a = '''` + "'" + deep + `'''`, true},
		{"toml nested arrays", TOML, "a = " + deep, false},
		// A multi-line string may end in one or two quotes of its own,
		// just before its closing three (TOML 1.0): """x"""" is `x"`.
		{"toml multi-line basic ending in a quote", TOML, "a = \"\"\"x\"\"\"\"\nb = " + deep + "\nc = \"y\"\n", false},
		{"toml multi-line basic ending in two quotes", TOML, "a = \"\"\"x\"\"\"\"\"\nb = " + deep + "\nc = \"y\"\n", false},
		{"toml multi-line literal ending in a quote", TOML, "a = '''x''''\nb = " + deep + "\nc = 'y'\n", false},
		{"toml multi-line basic, quotes inside", TOML, "a = \"\"\"x\"\"\"\"\nb = 1\n", true},
		{"toml table headers", TOML, "[[a.b]]\n[c]\n" + strings.Repeat("[[x]]\n", 1000), true},
		{"unterminated string", JSONC, `{"a": "` + deep, true},
	} {
		err := checkDepth([]byte(tc.data), tc.f)
		if (err == nil) != tc.ok {
			t.Errorf("%s: checkDepth = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrParse) {
			t.Errorf("%s: %v is not ErrParse", tc.name, err)
		}
	}
}

// TestDeepFilesRefused: a config file nested a million levels deep (3 MB;
// issue 21's crash: a fatal stack overflow in every command that read it,
// and the tray at start-up) is refused before parsing, at once and in
// little memory, for every editable client, by reading and by installing.
func TestDeepFilesRefused(t *testing.T) {
	const levels = 1 << 20
	for _, c := range Clients() {
		if !c.Editable() {
			continue
		}
		env := testEnv(t)
		file := c.File(env)
		if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
			t.Fatal(err)
		}
		var body string
		switch c.Format {
		case TOML:
			body = "[mcp_servers.other]\nargs = " + strings.Repeat("[", levels) + "\n"
		default:
			body = `{"` + c.Container + `": {"other": {"args": ` + strings.Repeat(`[{"a":`, levels/2) + "\n"
		}
		if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, rerr := c.ReadStatus(env)
		_, ierr := Install(t.Context(), c, env, keyless("work"), false)
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		for what, err := range map[string]error{"ReadStatus": rerr, "Install": ierr} {
			if !errors.Is(err, ErrParse) || !strings.Contains(err.Error(), "nested more than") || !strings.Contains(err.Error(), file) {
				t.Errorf("%s %s: %v, want the file named as nested too deep", c.ID, what, err)
			}
		}
		if got, _ := os.ReadFile(file); string(got) != body {
			t.Errorf("%s: the file was changed", c.ID)
		}
		alloc := (after.TotalAlloc - before.TotalAlloc) >> 20
		if alloc > 64 {
			t.Errorf("%s: reading and installing allocated %d MB", c.ID, alloc)
		}
		t.Logf("%s (%s, %d bytes): refused in %v, %d MB allocated", c.ID, c.Format, len(body), took.Round(time.Millisecond), alloc)
	}
}

// TestLargeFiles: a strict JSON file of 16 MB dense with small values
// (Claude Code's grows with history) is read for its status without a
// tree, in memory near its size; a JSONC file that large, which only a
// tree can read, is refused before parsing (a tree costs ~60 times the
// file: 16 MB took ~1 GB).
func TestLargeFiles(t *testing.T) {
	filler := strings.Repeat(`[1,2,{"a":"b"}],`, 16<<20/16)
	for _, id := range []string{"claude-code", "vscode"} {
		c, _ := Lookup(id)
		env := testEnv(t)
		file := c.File(env)
		os.MkdirAll(filepath.Dir(file), 0o700)
		body := `{"x": [` + filler + `0], "` + c.Container + `": {"anytype": {"command": "/opt/anykey", "args": ["exec", "--mask", "--", "work", "--", "npx"]}}}`
		os.WriteFile(file, []byte(body), 0o600)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		st, err := c.ReadStatus(env)
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		alloc := (after.TotalAlloc - before.TotalAlloc) >> 20
		switch c.Format {
		case JSON:
			if err != nil || !st.Ours || st.Key != "work" || alloc > 200 {
				t.Errorf("%s: %v, ours %v key %q, %d MB allocated; want the entry read in little memory", id, err, st.Ours, st.Key, alloc)
			}
		default:
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "8 MB") {
				t.Errorf("%s: %v, want too large to parse", id, err)
			}
			if _, err := Install(t.Context(), c, env, keyless("work"), false); !errors.Is(err, ErrTooLarge) {
				t.Errorf("%s Install: %v, want too large", id, err)
			}
		}
		t.Logf("%s (%s, %d MB): %v in %v, %d MB allocated", id, c.Format, len(body)>>20, err, took.Round(time.Millisecond), alloc)
	}
}
