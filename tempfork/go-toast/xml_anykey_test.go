package toast

// Added by anykey's tempfork (tempfork/README.md): buildXML against the
// template it replaces.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"git.sr.ht/~jackmordaunt/go-toast/tmpl"
)

// tokens decodes doc into its XML tokens, without the white space between
// elements (which the Windows Runtime ignores), CDATA and escaped text alike.
func tokens(t *testing.T, doc string) []xml.Token {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	var out []xml.Token
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		if cd, ok := tok.(xml.CharData); ok {
			if len(bytes.TrimSpace(cd)) == 0 {
				continue
			}
			tok = xml.CharData(bytes.Clone(cd))
		}
		out = append(out, xml.CopyToken(tok))
	}
}

func notifications() map[string]Notification {
	full := Notification{
		AppID: "anykey", Title: "Pair with Anytype", Body: "Type the code Anytype shows",
		Icon: `C:\icons\anykey.png`, ActivationType: Protocol, ActivationArguments: "anykey://pair",
		Audio: Default, Loop: true, Duration: Long,
		Inputs: []Input{
			{ID: "code", Title: "Code", Placeholder: "4 digits"},
			{ID: "tier", Title: "Tier", Selections: []InputSelection{{ID: "s", Content: "small"}, {ID: "f", Content: "full"}}},
		},
		Actions: []Action{{Type: Foreground, Content: "OK", Arguments: "ok"}, {Type: Protocol, Content: "Open", Arguments: "https://example.invalid/"}},
	}
	inputsOnly := full
	inputsOnly.Actions = nil
	return map[string]Notification{
		"empty":              {},
		"title":              {Title: "t"},
		"body only":          {Body: "b"},
		"silent":             {Title: "t", Audio: Silent},
		"full":               full,
		"inputs, no actions": inputsOnly,
	}
}

func TestBuildXMLMatchesTemplate(t *testing.T) {
	for name, n := range notifications() {
		n.applyDefaults()
		var want bytes.Buffer
		if err := tmpl.XMLTemplate.Execute(&want, &n); err != nil {
			t.Fatal(err)
		}
		got, err := n.buildXML()
		if err != nil {
			t.Fatal(err)
		}
		if g, w := tokens(t, got), tokens(t, want.String()); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: buildXML and the template differ:\n got %q\nwant %q", name, got, want.String())
		}
	}
}

func TestBuildXMLEscapes(t *testing.T) {
	hostile := `a & b <c> "d" 'e' ]]> f` + "\n\"@\n" + `g`
	n := Notification{Title: hostile, Body: hostile, Icon: hostile, ActivationArguments: hostile,
		Actions: []Action{{Content: hostile, Arguments: hostile}},
		Inputs:  []Input{{ID: hostile, Title: hostile, Placeholder: hostile}}}
	n.applyDefaults()
	doc, err := n.buildXML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(doc, "\n\"@") {
		t.Errorf("a line of the XML starts with \"@, which ends the PowerShell here-string:\n%s", doc)
	}
	var texts, attrs int
	for _, tok := range tokens(t, doc) {
		switch tok := tok.(type) {
		case xml.CharData:
			if string(tok) != hostile {
				t.Errorf("text %q, want %q", tok, hostile)
			}
			texts++
		case xml.StartElement:
			for _, a := range tok.Attr {
				if a.Name.Local == "activationType" || a.Name.Local == "duration" || a.Name.Local == "src" && tok.Name.Local == "audio" ||
					a.Name.Local == "loop" || a.Name.Local == "template" || a.Name.Local == "placement" || a.Name.Local == "type" {
					continue
				}
				if a.Value != hostile {
					t.Errorf("<%s %s=%q>, want %q", tok.Name.Local, a.Name.Local, a.Value, hostile)
				}
				attrs++
			}
		}
	}
	if texts != 2 || attrs != 7 {
		t.Errorf("checked %d texts and %d attributes, want 2 and 7:\n%s", texts, attrs, doc)
	}
}
