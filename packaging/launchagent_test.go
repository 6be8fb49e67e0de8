package packaging

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
)

// wellFormed runs the whole document through encoding/xml, so escaping
// mistakes fail here even where parsePlistDict would not look.
func wellFormed(t *testing.T, data []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	for {
		if _, err := d.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, data)
		}
	}
}

func TestLaunchAgentPlist(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		exe      string
		inBundle bool
	}{
		{"bare binary", "/usr/local/bin/anykey", false},
		{"in bundle", "/Applications/anykey.app/Contents/MacOS/anykey", true},
		{"user bundle with spaces", "/Users/zoë/My Apps/anykey.app/Contents/MacOS/anykey", true},
		{"xml characters", `/Users/a&b/<x>/"q"/anykey`, false},
		{"MacOS dir outside a bundle", "/opt/Contents/MacOS/anykey", false},
		{"placeholder-like path", "/opt/{{LABEL}}/{{BUNDLE}}/anykey", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data, err := launchAgentPlist(BundleID, tt.exe)
			if err != nil {
				t.Fatal(err)
			}
			wellFormed(t, data)
			dict, err := parsePlistDict(data)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]any{
				"Label":                  BundleID,
				"ProgramArguments":       []any{tt.exe, "tray"},
				"RunAtLoad":              true,
				"ProcessType":            "Interactive",
				"LimitLoadToSessionType": "Aqua",
			}
			if tt.inBundle {
				want["AssociatedBundleIdentifiers"] = []any{BundleID}
			}
			if !reflect.DeepEqual(dict, want) {
				t.Errorf("plist = %#v\nwant %#v", dict, want)
			}
		})
	}
	if _, err := launchAgentPlist(BundleID, "anykey"); err == nil {
		t.Error("relative executable accepted")
	}
}

func TestAppBundle(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"/Applications/anykey.app/Contents/MacOS/anykey": "/Applications/anykey.app",
		"/Applications/anykey.app/Contents/anykey":       "",
		"/usr/local/bin/anykey":                          "",
		"/x/Other.app/Contents/MacOS/anykey":             "/x/Other.app",
	}
	for exe, want := range tests {
		if got := appBundle(exe); got != want {
			t.Errorf("appBundle(%q) = %q, want %q", exe, got, want)
		}
	}
}

func TestInfoPlist(t *testing.T) {
	t.Parallel()
	data, err := InfoPlist("1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, data)
	dict, err := parsePlistDict(data)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"CFBundleIdentifier":         BundleID,
		"CFBundleExecutable":         "anykey",
		"CFBundleIconFile":           "anykey",
		"CFBundlePackageType":        "APPL",
		"CFBundleShortVersionString": "1.2.3",
		"CFBundleVersion":            "1.2.3",
		"LSUIElement":                true,
	}
	for k, v := range want {
		if dict[k] != v {
			t.Errorf("%s = %#v, want %#v", k, dict[k], v)
		}
	}
	// The icon file named in the plist is the one icons/ generates.
	if _, err := os.Stat("../icons/" + dict["CFBundleIconFile"].(string) + ".icns"); err != nil {
		t.Errorf("bundle icon: %v", err)
	}
	if _, err := InfoPlist(""); err == nil {
		t.Error("empty version accepted")
	}
	if strings.ContainsAny(BundleID, "_ ") {
		t.Errorf("BundleID %q has characters Apple does not allow", BundleID)
	}
}

func TestParsePlistDictRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "<plist>", "<plist><dict><key>a</key><data>x</data></dict></plist>", "<plist><dict><string>x</string></dict></plist>"} {
		if _, err := parsePlistDict([]byte(in)); err == nil {
			t.Errorf("parsePlistDict(%q) succeeded", in)
		}
	}
}
