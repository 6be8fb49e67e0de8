package wintoast

// Added by anykey's tempfork (tempfork/README.md): writePowershell against
// the template it replaces.

import (
	"bytes"
	"strings"
	"testing"

	"git.sr.ht/~jackmordaunt/go-toast/tmpl"
)

func TestWritePowershellMatchesTemplate(t *testing.T) {
	for _, c := range []struct{ appID, xml string }{
		{"", "<toast/>"},
		{"anykey", "<toast>\n  <visual/>\n</toast>"},
	} {
		var want, got bytes.Buffer
		if err := tmpl.ScriptTemplate.Execute(&want, struct{ AppID, XML string }{c.appID, c.xml}); err != nil {
			t.Fatal(err)
		}
		if err := writePowershell(&got, c.appID, c.xml); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("appID %q: writePowershell and the template differ:\n got %q\nwant %q", c.appID, got.String(), want.String())
		}
	}
}

func TestWritePowershellQuotesAppID(t *testing.T) {
	var b bytes.Buffer
	if err := writePowershell(&b, "it's", "<toast/>"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "$APP_ID = 'it''s'\n") {
		t.Errorf("the app ID is not one PowerShell string:\n%s", b.String())
	}
}
