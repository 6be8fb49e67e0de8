package toast

import "strings"

// buildXML writes the toast's XML, the document tmpl/xml.go.tmpl describes
// (schema: https://learn.microsoft.com/en-us/uwp/schemas/tiles/toastschema/schema-root).
//
// It is written out here rather than by executing tmpl.XMLTemplate: executing
// any text/template reaches reflect.Value.MethodByName with a non-constant
// name, and a program that can reach such a call keeps every exported method
// of every type in an interface, which made programs using this package
// about 1 MB larger (golang/go#72895). Unlike the template, it escapes the
// values, so a title with "&", "<" or "]]>" still makes a toast, and no
// value puts a quote in the XML, which the PowerShell fallback embeds in a
// here-string (a line starting with "@ would end it).
func (n *Notification) buildXML() (string, error) {
	var b strings.Builder
	b.WriteString(`<toast activationType="`)
	attr(&b, n.ActivationType)
	b.WriteString(`" launch="`)
	attr(&b, n.ActivationArguments)
	b.WriteString(`" duration="`)
	attr(&b, n.Duration)
	b.WriteString("\">\n    <visual>\n        <binding template=\"ToastGeneric\">\n")
	if n.Icon != "" {
		b.WriteString(`            <image placement="appLogoOverride" src="`)
		attr(&b, n.Icon)
		b.WriteString("\" />\n")
	}
	if n.Title != "" {
		b.WriteString("            <text>")
		attr(&b, n.Title)
		b.WriteString("</text>\n")
	}
	if n.Body != "" {
		b.WriteString("            <text>")
		attr(&b, n.Body)
		b.WriteString("</text>\n")
	}
	b.WriteString("        </binding>\n    </visual>\n")
	if n.Audio != Silent {
		b.WriteString(`    <audio src="`)
		attr(&b, n.Audio)
		if n.Loop {
			b.WriteString("\" loop=\"true\" />\n")
		} else {
			b.WriteString("\" loop=\"false\" />\n")
		}
	} else {
		b.WriteString("    <audio silent=\"true\" />\n")
	}
	// As in the template, inputs are written only beside actions.
	if len(n.Actions) > 0 {
		b.WriteString("    <actions>\n")
		for _, in := range n.Inputs {
			b.WriteString(`        <input id="`)
			attr(&b, in.ID)
			b.WriteString(`" title="`)
			attr(&b, in.Title)
			b.WriteString(`" placeHolderContent="`)
			attr(&b, in.Placeholder)
			if len(in.Selections) > 0 {
				b.WriteString("\" type=\"selection\">\n")
			} else {
				b.WriteString("\" type=\"text\">\n")
			}
			for _, s := range in.Selections {
				b.WriteString(`            <selection id="`)
				attr(&b, s.ID)
				b.WriteString(`" content="`)
				attr(&b, s.Content)
				b.WriteString("\" />\n")
			}
			b.WriteString("        </input>\n")
		}
		for _, a := range n.Actions {
			b.WriteString(`        <action activationType="`)
			attr(&b, a.Type)
			b.WriteString(`" content="`)
			attr(&b, a.Content)
			b.WriteString(`" arguments="`)
			attr(&b, a.Arguments)
			b.WriteString("\" />\n")
		}
		b.WriteString("    </actions>\n")
	}
	b.WriteString("</toast>")
	return b.String(), nil
}

// attrEscaper escapes a value for a double-quoted XML attribute or for text:
// white space as references, so that attribute normalisation keeps it.
var attrEscaper = strings.NewReplacer(
	`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&quot;", `'`, "&apos;",
	"\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;",
)

func attr(b *strings.Builder, s string) { attrEscaper.WriteString(b, s) }
