package handoff

import (
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, sh, fish, ps string
	}{
		{"plain", `'plain'`, `'plain'`, `'plain'`},
		{"it's", `'it'\''s'`, `'it\'s'`, `'it''s'`},
		{`back\slash`, `'back\slash'`, `'back\\slash'`, `'back\slash'`},
		{`$HOME "x" ` + "`id`", `'$HOME "x" ` + "`id`'", `'$HOME "x" ` + "`id`'", `'$HOME "x" ` + "`id`'"},
		{"a\u2019b", "'a\u2019b'", "'a\u2019b'", "'a\u2019\u2019b'"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := QuoteSh(tt.in); got != tt.sh {
				t.Errorf("QuoteSh = %s, want %s", got, tt.sh)
			}
			if got := fishQuote(tt.in); got != tt.fish {
				t.Errorf("fishQuote = %s, want %s", got, tt.fish)
			}
			if got := psQuote(tt.in); got != tt.ps {
				t.Errorf("psQuote = %s, want %s", got, tt.ps)
			}
		})
	}
}

// awkward has everything a shell or JSON could trip on; keys are opaque.
const awkward = `k'e"y$HOME\n` + "`x`;"

func TestMCPHeaders(t *testing.T) {
	t.Parallel()
	var h map[string]string
	if err := json.Unmarshal([]byte(MCPHeaders(awkward)), &h); err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h["Authorization"] != "Bearer "+awkward || h["Anytype-Version"] != "2025-11-08" {
		t.Errorf("headers = %v", h)
	}
	if got := MCPHeaders("a<b>&"); !strings.Contains(got, "a<b>&") {
		t.Errorf("HTML-escaped: %s", got)
	}
}

func TestExports(t *testing.T) {
	t.Parallel()
	vars := Vars(awkward, "http://127.0.0.1:31012")
	tests := []struct {
		shell, prefix string
	}{
		{"sh", "export ANYTYPE_API_KEY="},
		{"bash", "export ANYTYPE_API_KEY="},
		{"fish", "set -gx ANYTYPE_API_KEY "},
		{"powershell", "$env:ANYTYPE_API_KEY = "},
		{"pwsh", "$env:ANYTYPE_API_KEY = "},
	}
	for _, tt := range tests {
		got, err := Exports(tt.shell, vars)
		if err != nil {
			t.Fatalf("%s: %v", tt.shell, err)
		}
		lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
		if len(lines) != 4 || !strings.HasPrefix(lines[0], tt.prefix) {
			t.Errorf("%s:\n%s", tt.shell, got)
		}
	}
	if _, err := Exports("tcsh", vars); !errors.Is(err, ErrUnknownShell) {
		t.Errorf("tcsh: err = %v", err)
	}
}

// TestExportsThroughSh evaluates the sh lines in a real sh.
func TestExportsThroughSh(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	lines, err := Exports("sh", Vars(awkward, "http://127.0.0.1:31012"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("sh", "-c", lines+`printf '%s\n%s\n%s\n%s' "$ANYTYPE_API_KEY" "$ANYTYPE_APP_KEY" "$ANYTYPE_API_BASE_URL" "$OPENAPI_MCP_HEADERS"`).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.SplitN(string(out), "\n", 4)
	if len(got) != 4 || got[0] != awkward || got[1] != awkward || got[2] != "http://127.0.0.1:31012" || got[3] != MCPHeaders(awkward) {
		t.Errorf("sh read back %q", got)
	}
}
