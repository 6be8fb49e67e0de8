package distcheck

import (
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"
)

// verBlock builds one version-resource block the way rc.exe lays it out.
func verBlock(key string, value []byte, text bool, children ...[]byte) []byte {
	var b []byte
	b = append(b, 0, 0, 0, 0, 0, 0) // wLength, wValueLength, wType: filled below
	for _, c := range utf16.Encode([]rune(key + "\x00")) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	pad := func() {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	pad()
	b = append(b, value...)
	for _, c := range children {
		pad()
		b = append(b, c...)
	}
	vl := len(value)
	if text {
		vl /= 2
		binary.LittleEndian.PutUint16(b[4:], 1)
	}
	binary.LittleEndian.PutUint16(b[0:], uint16(len(b)))
	binary.LittleEndian.PutUint16(b[2:], uint16(vl))
	return b
}

func utf16z(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s + "\x00")) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

func TestParseVersionInfo(t *testing.T) {
	t.Parallel()
	fixed := make([]byte, 52)
	binary.LittleEndian.PutUint32(fixed[0:], vsFixedFileInfoSignature)
	binary.LittleEndian.PutUint32(fixed[8:], 0x0001_0002)  // file 1.2
	binary.LittleEndian.PutUint32(fixed[12:], 0x0003_0004) // .3.4
	binary.LittleEndian.PutUint32(fixed[16:], 0x0000_0001) // product 0.1
	binary.LittleEndian.PutUint32(fixed[20:], 0x0000_0000) // .0.0
	blob := verBlock("VS_VERSION_INFO", fixed, false,
		verBlock("StringFileInfo", nil, true,
			verBlock("040904b0", nil, true,
				verBlock("ProductName", utf16z("anykey"), true),
				verBlock("ProductVersion", utf16z("0.1.0"), true))),
		verBlock("VarFileInfo", nil, true,
			verBlock("Translation", []byte{0x09, 0x04, 0xb0, 0x04}, false)))
	vi, err := ParseVersionInfo(blob)
	if err != nil {
		t.Fatal(err)
	}
	if vi.FileVersion != [4]uint16{1, 2, 3, 4} || vi.ProductVersion != [4]uint16{0, 1, 0, 0} {
		t.Errorf("versions = %v %v", vi.FileVersion, vi.ProductVersion)
	}
	if vi.Strings["ProductName"] != "anykey" || vi.Strings["ProductVersion"] != "0.1.0" {
		t.Errorf("strings = %q", vi.Strings)
	}
	if _, err := ParseVersionInfo(blob[:40]); err == nil {
		t.Error("truncated resource parsed without error")
	}
}

func TestParseGroupIcon(t *testing.T) {
	t.Parallel()
	b := []byte{0, 0, 1, 0, 2, 0}
	b = append(b, 16, 16, 0, 0, 1, 0, 32, 0, 0x10, 0x01, 0, 0, 1, 0)
	b = append(b, 0, 0, 0, 0, 1, 0, 32, 0, 0x20, 0x02, 0, 0, 2, 0)
	got, err := ParseGroupIcon(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []IconEntry{{16, 16, 32, 0x110, 1}, {256, 256, 32, 0x220, 2}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestParsePlist(t *testing.T) {
	t.Parallel()
	const doc = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>CFBundleIdentifier</key><string> io.example.app </string>
  <key>LSUIElement</key><true/>
  <key>NSHighResolutionCapable</key><false/>
  <key>LSMinimumSystemVersion</key><string>11.0</string>
  <key>CFBundleURLTypes</key><array><dict><key>x</key><string>y</string></dict></array>
</dict></plist>`
	p, err := ParsePlist(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"CFBundleIdentifier": "io.example.app", "LSUIElement": true,
		"NSHighResolutionCapable": false, "LSMinimumSystemVersion": "11.0", "CFBundleURLTypes": "array"}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("%s = %#v, want %#v", k, p[k], v)
		}
	}
	if len(p) != len(want) {
		t.Errorf("got %d keys, want %d: %v", len(p), len(want), p)
	}
	if _, err := ParsePlist(strings.NewReader(`<plist><dict><key>a</key></dict></plist>`)); err == nil {
		t.Error("a key without a value parsed")
	}
}
