package packaging

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tool finds a validator; it skips without one, except under CI, where a
// missing validator would hide a broken package file.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required when CI is set: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

func runTool(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(tool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func TestDesktopFileValidate(t *testing.T) {
	t.Parallel()
	runTool(t, "desktop-file-validate", filepath.Join("linux", "anykey.desktop"))

	// The per-user autostart copy must stay valid too, even with an awkward
	// executable path.
	dir := t.TempDir()
	for i, exe := range []string{"/usr/bin/anykey", `/home/zoë/my "apps"/100%/anykey`} {
		data, err := autostartEntry(exe)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "anykey"+string(rune('0'+i))+".desktop")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		runTool(t, "desktop-file-validate", p)
	}
}

const metainfo = "linux/" + AppID + ".metainfo.xml"

func TestAppStreamValidate(t *testing.T) {
	t.Parallel()
	runTool(t, "appstreamcli", "validate", "--no-net", "--pedantic", metainfo)
}

func TestMetainfoMatches(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(metainfo)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		ID         string `xml:"id"`
		Launchable string `xml:"launchable"`
		Icon       string `xml:"icon"`
		Releases   []struct {
			Version string `xml:"version,attr"`
		} `xml:"releases>release"`
	}
	if err := xml.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if c.ID != AppID || c.Launchable != "anykey.desktop" || c.Icon != "anykey" {
		t.Errorf("id %q, launchable %q, icon %q", c.ID, c.Launchable, c.Icon)
	}
	// Software centres show the newest <release>; it has to be the version
	// being packaged.
	version, err := os.ReadFile("../VERSION")
	if err != nil {
		t.Skipf("no VERSION file: %v", err)
	}
	if len(c.Releases) == 0 || c.Releases[0].Version != strings.TrimSpace(string(version)) {
		t.Errorf("newest metainfo release %v, VERSION is %q: add a <release> entry", c.Releases, strings.TrimSpace(string(version)))
	}
}

func TestWindowsResources(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("windows", "winres.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]map[string]map[string]any
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	// go-winres resolves file names against the JSON file's directory.
	for _, ref := range []struct{ typ, name, lang string }{
		{"RT_GROUP_ICON", "APP", "0000"},
		{"RT_MANIFEST", "#1", "0409"},
	} {
		file, ok := res[ref.typ][ref.name][ref.lang].(string)
		if !ok {
			t.Errorf("%s %s %s: no file name", ref.typ, ref.name, ref.lang)
			continue
		}
		if _, err := os.Stat(filepath.Join("windows", filepath.FromSlash(file))); err != nil {
			t.Errorf("%s: %v", ref.typ, err)
		}
	}
	if _, ok := res["RT_VERSION"]["#1"]["0000"].(map[string]any); !ok {
		t.Error("no RT_VERSION resource")
	}

	manifest, err := os.ReadFile(filepath.Join("windows", "app.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Level struct {
			Level string `xml:"level,attr"`
		} `xml:"trustInfo>security>requestedPrivileges>requestedExecutionLevel"`
		Awareness string `xml:"application>windowsSettings>dpiAwareness"`
	}
	if err := xml.Unmarshal(manifest, &m); err != nil {
		t.Fatal(err)
	}
	if m.Level.Level != "asInvoker" || m.Awareness != "PerMonitorV2" {
		t.Errorf("manifest: execution level %q, DPI awareness %q", m.Level.Level, m.Awareness)
	}
}
