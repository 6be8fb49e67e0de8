package packaging

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
)

//go:embed darwin/launchagent.plist.tmpl
var launchAgentTmpl string

//go:embed darwin/Info.plist.tmpl
var infoPlistTmpl string

// renderPlist fills the {{NAME}} placeholders of a plist skeleton with the
// XML-escaped values of vars (paths may hold "&", "<" or quotes); a
// placeholder left unfilled is an error. Plain replacement, not
// text/template: the skeletons need no logic, and text/template added
// 45 KB to every anykey binary (docs/performance.md, binary size).
func renderPlist(name, skeleton string, vars map[string]string) ([]byte, error) {
	var pairs, blanks []string
	for k, v := range vars {
		var b strings.Builder
		if err := xml.EscapeText(&b, []byte(v)); err != nil {
			return nil, fmt.Errorf("render %s: %w", name, err)
		}
		pairs = append(pairs, "{{"+k+"}}", b.String())
		blanks = append(blanks, "{{"+k+"}}", "")
	}
	// Look for unfilled placeholders in the skeleton, not in the result: a
	// value (a path) may itself hold "{{".
	if rest := strings.NewReplacer(blanks...).Replace(skeleton); strings.Contains(rest, "{{") {
		i := strings.Index(rest, "{{")
		return nil, fmt.Errorf("render %s: placeholder %.20q not filled", name, rest[i:])
	}
	return []byte(strings.NewReplacer(pairs...).Replace(skeleton)), nil
}

// appBundle returns the .app directory when exe is a bundle's main
// executable (…/anykey.app/Contents/MacOS/anykey), else "". macOS paths
// are slash paths, so package path, not filepath: the same answer on every
// OS the tests run on.
func appBundle(exe string) string {
	macos := path.Dir(exe)
	contents := path.Dir(macos)
	app := path.Dir(contents)
	if path.Base(macos) == "MacOS" && path.Base(contents) == "Contents" && path.Ext(app) == ".app" {
		return app
	}
	return ""
}

// launchAgentPlist renders the LaunchAgent that runs exe with "tray" at
// login. exe should have its symlinks resolved, so a Homebrew-style link to
// the bundle's executable still yields a path inside the bundle; then the
// agent also names the bundle id, which lets macOS 13+ show it under the
// app's name and icon in Login Items rather than as an unknown program.
func launchAgentPlist(label, exe string) ([]byte, error) {
	if !path.IsAbs(exe) {
		return nil, fmt.Errorf("launch agent: executable %q is not absolute", exe)
	}
	// In a bundle, the agent also names the bundle id (see above).
	skeleton, assoc := launchAgentTmpl, ""
	if appBundle(exe) != "" {
		assoc = "\t<key>AssociatedBundleIdentifiers</key>\n\t<array>\n\t\t<string>{{LABEL}}</string>\n\t</array>\n"
	}
	skeleton = strings.Replace(skeleton, "{{BUNDLE}}", assoc, 1)
	return renderPlist("launchagent.plist", skeleton, map[string]string{"LABEL": label, "PROGRAM": exe})
}

// InfoPlist renders the .app bundle's Contents/Info.plist for a version.
func InfoPlist(version string) ([]byte, error) {
	if version == "" {
		return nil, fmt.Errorf("info plist: empty version")
	}
	return renderPlist("Info.plist", infoPlistTmpl, map[string]string{"BUNDLE_ID": BundleID, "VERSION": version})
}

// parsePlistDict reads the top-level <dict> of an XML property list into
// Go values: string, bool, int64 (as its text), or []any for arrays. It
// covers what anykey writes, not the whole plist format.
func parsePlistDict(data []byte) (map[string]any, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	// Find <plist><dict>.
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("plist: no dict: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "dict" {
			return plistDict(d)
		}
	}
}

func plistDict(d *xml.Decoder) (map[string]any, error) {
	out := map[string]any{}
	key := ""
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("plist dict: %w", err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return out, nil
		case xml.StartElement:
			v, err := plistValue(d, t)
			if err != nil {
				return nil, err
			}
			if t.Name.Local == "key" {
				key = v.(string)
				continue
			}
			if key == "" {
				return nil, fmt.Errorf("plist dict: %s without a key", t.Name.Local)
			}
			out[key], key = v, ""
		}
	}
}

func plistValue(d *xml.Decoder, se xml.StartElement) (any, error) {
	switch se.Name.Local {
	case "key", "string", "integer", "real", "date":
		var s string
		if err := d.DecodeElement(&s, &se); err != nil {
			return nil, fmt.Errorf("plist %s: %w", se.Name.Local, err)
		}
		return s, nil
	case "true", "false":
		if err := d.Skip(); err != nil {
			return nil, fmt.Errorf("plist bool: %w", err)
		}
		return se.Name.Local == "true", nil
	case "dict":
		return plistDict(d)
	case "array":
		var arr []any
		for {
			tok, err := d.Token()
			if err == io.EOF {
				return nil, fmt.Errorf("plist array: unexpected end")
			}
			if err != nil {
				return nil, fmt.Errorf("plist array: %w", err)
			}
			switch t := tok.(type) {
			case xml.EndElement:
				return arr, nil
			case xml.StartElement:
				v, err := plistValue(d, t)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
		}
	}
	return nil, fmt.Errorf("plist: unsupported element <%s>", se.Name.Local)
}
