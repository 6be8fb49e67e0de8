package packaging

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/template"
)

//go:embed darwin/launchagent.plist.tmpl
var launchAgentTmpl string

//go:embed darwin/Info.plist.tmpl
var infoPlistTmpl string

// plistFuncs escapes every value put into a template: paths may hold "&",
// "<" or quotes.
var plistFuncs = template.FuncMap{
	"xml": func(s string) (string, error) {
		var b strings.Builder
		if err := xml.EscapeText(&b, []byte(s)); err != nil {
			return "", err
		}
		return b.String(), nil
	},
}

func renderTemplate(name, text string, data any) ([]byte, error) {
	t, err := template.New(name).Funcs(plistFuncs).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// appBundle returns the .app directory when exe is a bundle's main
// executable (…/anykey.app/Contents/MacOS/anykey), else "".
func appBundle(exe string) string {
	macos := filepath.Dir(exe)
	contents := filepath.Dir(macos)
	app := filepath.Dir(contents)
	if filepath.Base(macos) == "MacOS" && filepath.Base(contents) == "Contents" && filepath.Ext(app) == ".app" {
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
	if !filepath.IsAbs(exe) {
		return nil, fmt.Errorf("launch agent: executable %q is not absolute", exe)
	}
	return renderTemplate("launchagent.plist", launchAgentTmpl, struct {
		Label, Program string
		InBundle       bool
	}{label, exe, appBundle(exe) != ""})
}

// InfoPlist renders the .app bundle's Contents/Info.plist for a version.
func InfoPlist(version string) ([]byte, error) {
	if version == "" {
		return nil, fmt.Errorf("info plist: empty version")
	}
	return renderTemplate("Info.plist", infoPlistTmpl, struct{ BundleID, Version string }{BundleID, version})
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
