package distcheck

import (
	"bytes"
	"debug/pe"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// distDir is the dist/ directory to check: $ANYKEY_DIST_DIR. Without it the
// artifact tests skip, except under CI, where a missing dist is a failure.
func distDir(t *testing.T) string {
	t.Helper()
	d := os.Getenv("ANYKEY_DIST_DIR")
	if d == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("ANYKEY_DIST_DIR is not set under CI: run scripts/check-dist.sh (after make dist)")
		}
		t.Skip("ANYKEY_DIST_DIR not set; run `make dist` and scripts/check-dist.sh")
	}
	if _, err := os.Stat(d); err != nil {
		t.Fatalf("ANYKEY_DIST_DIR: %v", err)
	}
	return d
}

// version is the content of the repository's VERSION file.
func version(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// winVersion turns "0.1.0" into the four numbers of a Windows version (0.1.0.0).
func winVersion(t *testing.T, v string) [4]uint16 {
	t.Helper()
	var out [4]uint16
	parts := strings.Split(strings.SplitN(v, "-", 2)[0], ".")
	if len(parts) > 4 {
		t.Fatalf("VERSION %q has more than four parts", v)
	}
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil {
			t.Fatalf("VERSION %q: %v", v, err)
		}
		out[i] = uint16(n)
	}
	return out
}

func TestWindowsExecutables(t *testing.T) {
	dir, ver := distDir(t), version(t)
	for _, tc := range []struct {
		arch    string
		machine uint16
	}{
		{"amd64", pe.IMAGE_FILE_MACHINE_AMD64},
		{"arm64", pe.IMAGE_FILE_MACHINE_ARM64},
	} {
		t.Run(tc.arch, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, fmt.Sprintf("anykey_%s_windows_%s.exe", ver, tc.arch))
			f, err := pe.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Machine != tc.machine {
				t.Errorf("machine = %#x, want %#x", f.Machine, tc.machine)
			}
			oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
			if !ok {
				t.Fatalf("optional header is %T, want PE32+", f.OptionalHeader)
			}
			// GUI subsystem: no console window when the tray starts at login.
			if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
				t.Errorf("subsystem = %d, want %d (GUI)", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
			}
			res, err := Resources(f)
			if err != nil {
				t.Fatal(err)
			}
			byType := map[uint32][]Resource{}
			for _, r := range res {
				byType[r.Type] = append(byType[r.Type], r)
			}
			checkIcons(t, byType)
			checkVersion(t, byType[RTVersion], ver, winVersion(t, ver))
			checkManifest(t, byType[RTManifest])
		})
	}
}

// checkIcons wants one icon group whose every image is an RT_ICON of the
// announced size, with the sizes Explorer and the taskbar ask for.
func checkIcons(t *testing.T, byType map[uint32][]Resource) {
	t.Helper()
	groups := byType[RTGroupIcon]
	if len(groups) == 0 {
		t.Fatal("no RT_GROUP_ICON resource: the .exe has no icon")
	}
	icons := map[uint32]Resource{}
	for _, r := range byType[RTIcon] {
		icons[r.ID] = r
	}
	entries, err := ParseGroupIcon(groups[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[int]bool{}
	for _, e := range entries {
		ic, ok := icons[uint32(e.ID)]
		switch {
		case !ok:
			t.Errorf("icon group lists RT_ICON %d, which is missing", e.ID)
		case uint32(len(ic.Data)) != e.Bytes:
			t.Errorf("RT_ICON %d is %d bytes, group says %d", e.ID, len(ic.Data), e.Bytes)
		}
		sizes[e.Width] = true
	}
	for _, want := range []int{16, 32, 48, 256} {
		if !sizes[want] {
			t.Errorf("icon group has no %d px image (has %v)", want, sizes)
		}
	}
}

func checkVersion(t *testing.T, res []Resource, ver string, num [4]uint16) {
	t.Helper()
	if len(res) == 0 {
		t.Fatal("no RT_VERSION resource")
	}
	vi, err := ParseVersionInfo(res[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if vi.FileVersion != num || vi.ProductVersion != num {
		t.Errorf("fixed file/product version = %v/%v, want %v (VERSION %s)", vi.FileVersion, vi.ProductVersion, num, ver)
	}
	for _, k := range []string{"FileVersion", "ProductVersion"} {
		// go-winres writes the four-part form it was given (0.1.0.0).
		if got := vi.Strings[k]; got != ver && got != ver+".0" {
			t.Errorf("version string %s = %q, want %q or %q", k, got, ver, ver+".0")
		}
	}
	if got := vi.Strings["ProductName"]; got != "anykey" {
		t.Errorf("ProductName = %q, want anykey", got)
	}
}

// checkManifest wants the manifest to ask for no elevation (asInvoker) and
// per-monitor DPI awareness, so the tray menu and dialogs are sharp.
func checkManifest(t *testing.T, res []Resource) {
	t.Helper()
	if len(res) == 0 {
		t.Fatal("no RT_MANIFEST resource")
	}
	m := res[0].Data
	if err := xml.Unmarshal(m, new(struct{})); err != nil {
		t.Fatalf("manifest is not XML: %v", err)
	}
	if !bytes.Contains(m, []byte(`level="asInvoker"`)) {
		t.Error(`manifest lacks requestedExecutionLevel level="asInvoker"`)
	}
	if !bytes.Contains(m, []byte("PerMonitorV2")) {
		t.Error("manifest is not per-monitor (v2) DPI aware")
	}
}

func TestMacBundle(t *testing.T) {
	dir, ver := distDir(t), version(t)
	contents := filepath.Join(dir, "anykey.app", "Contents")
	f, err := os.Open(filepath.Join(contents, "Info.plist"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := ParsePlist(f)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"LSUIElement":                true, // menu-bar app: no Dock icon
		"CFBundleShortVersionString": ver,
		"CFBundleExecutable":         "anykey",
		"CFBundlePackageType":        "APPL",
	}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("Info.plist %s = %#v, want %#v", k, p[k], v)
		}
	}
	if id, _ := p["CFBundleIdentifier"].(string); strings.Count(id, ".") < 2 {
		t.Errorf("CFBundleIdentifier = %q, want a reverse-DNS id", id)
	}
	if v, _ := p["CFBundleVersion"].(string); v == "" {
		t.Error("CFBundleVersion is empty")
	}
	icon, _ := p["CFBundleIconFile"].(string)
	if icon == "" {
		t.Fatal("CFBundleIconFile is empty")
	}
	if filepath.Ext(icon) == "" {
		icon += ".icns"
	}
	b, err := os.ReadFile(filepath.Join(contents, "Resources", icon))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("icns")) {
		t.Errorf("Resources/%s is not an icns file", icon)
	}
	if st, err := os.Stat(filepath.Join(contents, "MacOS")); err != nil || !st.IsDir() {
		t.Errorf("Contents/MacOS is missing: %v", err)
	}
}
