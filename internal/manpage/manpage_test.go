package manpage

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/cli"
	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/spf13/pflag"
)

const committed = "../../packaging/man/anykey.1"

// TestCommittedPageIsGenerated: packaging/man/anykey.1 is what the
// definition makes today; after a change to the commands, run
// go generate ./internal/manpage and commit the page.
func TestCommittedPageIsGenerated(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Errorf("%s is not the generated page: run go generate ./internal/manpage and commit it", committed)
	}
}

// TestPageDocumentsEveryCommand: every command and flag of the definition
// is in the page, rendered (man -l), as a reader sees it; and man finds
// nothing wrong with the roff.
func TestPageDocumentsEveryCommand(t *testing.T) {
	if _, err := exec.LookPath("man"); err != nil {
		if desktoptest.InCI() {
			t.Fatal("man is not installed: scripts/install-test-deps.sh installs it")
		}
		t.Skip("no man here")
	}
	var buf bytes.Buffer
	if err := Write(&buf); err != nil {
		t.Fatal(err)
	}
	f := t.TempDir() + "/anykey.1"
	if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("man", "--warnings", "-l", f)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "MANWIDTH=200", "MAN_KEEP_FORMATTING=", "MANPAGER=cat", "PAGER=cat")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("man -l: %v\n%s", err, stderr.String())
	}
	page := string(out)
	root := cli.Definition()
	for _, c := range root.Commands() {
		for _, form := range cli.Forms(c) {
			syn, _, _ := strings.Cut(form, "\t")
			if !strings.Contains(page, syn) {
				t.Errorf("the page has no synopsis %q", syn)
			}
		}
		c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
			if f.Name != "help" && !strings.Contains(page, "--"+f.Name) {
				t.Errorf("%s: the page has no --%s", c.Name(), f.Name)
			}
		})
	}
	for _, s := range []string{"ANYKEY_API_URL", "keys.json", "EXIT STATUS", "--api-url", "anykey pair claude"} {
		if !strings.Contains(page, s) {
			t.Errorf("the page has no %q", s)
		}
	}
	// The global options are anykey's, in anykey's words: --api-url
	// with its URL, and none of cobra's defaults ("help for anykey",
	// --help[=false], --api-url="").
	for _, re := range []string{`(?m)^ +--api-url URL$`, `(?m)^ +--version$`, `(?m)^ +-h, --help$`} {
		if !regexp.MustCompile(re).MatchString(page) {
			t.Errorf("the page's OPTIONS have no line %s", re)
		}
	}
	for _, s := range []string{"help for anykey", "[=false]", `=""`} {
		if strings.Contains(page, s) {
			t.Errorf("the page says %q (cobra's words, not anykey's)", s)
		}
	}
}
