package handoff

import (
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
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

// quoteCorpus is what a key name, a path or a JSON argument may hold,
// including what one shell expands at the start of a word and another not.
var quoteCorpus = []string{
	"plain", "-y", "--add-mcp", "--", "-x", "--mask", "-a.b", "@anyproto/anytype-mcp",
	"=ls", "%self", "@a", "x,y", "a=b", "~root", "*", "{a,b}", "#c", "!x", "a b",
	"it's", `say "hi"`, `a\b`, `\`, "'", `"`, "$(id)", "`id`", "${HOME}", "a;b|c&d", "a\nb",
	"ключ 🔑", "é", "a\u2019b", `{"type":"stdio","args":["exec","--mask","my key"]}`,
	`C:\Program Files\anykey\anykey.exe`, "/usr/local/bin:/usr/bin:/bin",
}

// TestQuoteInRealShells runs one line of quoted words through each real
// shell and reads back the argv a program gets.
func TestQuoteInRealShells(t *testing.T) {
	t.Parallel()
	for _, sh := range []string{"sh", "bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			if _, err := exec.LookPath(sh); err != nil {
				if desktoptest.InCI() {
					t.Fatalf("%s is not installed: scripts/install-test-deps.sh installs it", sh)
				}
				t.Skipf("no %s here", sh)
			}
			words := []string{"printf", `'%s\0'`}
			for _, s := range quoteCorpus {
				words = append(words, Quote(sh, s))
			}
			cmd := exec.Command(sh, "-c", strings.Join(words, " "))
			cmd.Dir = t.TempDir() // for the glob: nothing to match
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v", sh, err)
			}
			got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
			if len(got) != len(quoteCorpus) {
				t.Fatalf("%d words back, want %d: %q", len(got), len(quoteCorpus), got)
			}
			for i, want := range quoteCorpus {
				if got[i] != want {
					t.Errorf("%s: %q came back as %q (quoted %s)", sh, want, got[i], Quote(sh, want))
				}
			}
		})
	}
}

// TestQuotePowerShell: no PowerShell runs here, so its rules are tabled:
// what PowerShell reads in a bare word (about_Parsing, argument mode) is
// quoted, options and plain paths are not.
func TestQuotePowerShell(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"-y": "-y", "--add-mcp": "--add-mcp", "plain/x.y": "plain/x.y", "a=b": "a=b",
		"--": "'--'", "-a.b": "'-a.b'", "@a": "'@a'", "@anyproto/anytype-mcp": "'@anyproto/anytype-mcp'",
		"x,y": "'x,y'", "%self": "'%self'", "$(id)": "'$(id)'", "it's": "'it''s'",
		`C:\Program Files\x`: `'C:\Program Files\x'`,
	} {
		if got := Quote("powershell", in); got != want {
			t.Errorf("Quote(powershell, %q) = %s, want %s", in, got, want)
		}
	}
}
