//go:build linux

package desktoptest_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"fyne.io/systray"
	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/godbus/dbus/v5"
)

// The test binary doubles as a tiny tray app (Linux only: fyne.io/systray
// needs cgo on macOS, and the session runs on Linux): with this variable set,
// TestMain runs trayDemo instead of the tests.
const demoEnv = "DESKTOPTEST_TRAY_DEMO"

func TestMain(m *testing.M) {
	if os.Getenv(demoEnv) == "1" {
		trayDemo()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// trayDemo prints "clicked LABEL" for each click and exits on Quit.
func trayDemo() {
	// Before Run, as tray.Run does: fyne.io/systray v1.12.2 drops a
	// SetTitle that lands while it registers its properties (the flake
	// this test showed: property Title = "").
	systray.SetTitle("desktoptest demo")
	// The icon too: set inside onReady it raced with the host's GetAll
	// (-race saw it in CI). godbus's prop.Set stores the new value into the
	// slice that a reply being encoded still shares; fyne.io/systray v1.12.2
	// exports the icon set before Run with its first properties.
	systray.SetIcon(demoIcon())
	systray.Run(func() {
		systray.SetTooltip("demo tooltip")
		hidden := systray.AddMenuItem("Open", "") // a stale item, as after a rebuild
		hidden.Hide()
		open := systray.AddMenuItem("Open", "")
		check := systray.AddMenuItemCheckbox("Enabled", "", true)
		systray.AddSeparator()
		work := systray.AddMenuItem("work", "")
		copyKey := work.AddSubMenuItem("Copy key", "")
		off := systray.AddMenuItem("Unavailable", "")
		off.Disable()
		quit := systray.AddMenuItem("Quit", "")
		// fyne.io/systray drops a click when nobody is receiving on the
		// item's ClickedCh (its send has a default case), so each item has
		// a goroutine that only waits and hands the click on, as
		// tray/systray.go does; printing happens elsewhere. A single loop
		// that printed between receives lost a click now and then.
		clicks := make(chan string, 16)
		wait := func(mi *systray.MenuItem, label string) {
			go func() {
				for range mi.ClickedCh {
					clicks <- label
				}
			}()
		}
		wait(hidden, "hidden Open")
		wait(open, "Open")
		wait(check, "Enabled")
		wait(copyKey, "work/Copy key")
		wait(off, "Unavailable")
		wait(quit, "Quit")
		go func() {
			for label := range clicks {
				if label == "Enabled" {
					if check.Checked() {
						check.Uncheck()
					} else {
						check.Check()
					}
				}
				fmt.Println("clicked " + label)
				if label == "Quit" {
					systray.Quit()
					return
				}
			}
		}()
		fmt.Println("ready")
	}, func() { fmt.Println("exit") })
}

func demoIcon() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range 16 {
		img.Set(i, i, color.RGBA{R: 255, A: 255})
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// startDemo runs the demo tray app and returns it with a channel of its
// stdout lines.
func startDemo(t *testing.T) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	// fyne.io/systray v1.12.2 has a data race of its own (refresh() writes
	// menuVersion unlocked while GetLayout reads it). The demo runs with the
	// race detector on but does not exit 66 for it; checkRaces fails the test
	// for any other race.
	cmd.Env = append(os.Environ(), demoEnv+"=1", "GORACE=exitcode=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		checkRaces(t, stderr.String()) // read only after Wait: the copy is done
		if t.Failed() {
			t.Logf("demo stderr:\n%s", stderr.String())
		}
	})
	return cmd, lines
}

// checkRaces fails the test for race reports in the demo's stderr other
// than the known one inside fyne.io/systray.
func checkRaces(t *testing.T, stderr string) {
	t.Helper()
	for _, report := range strings.Split(stderr, "WARNING: DATA RACE")[1:] {
		report, _, _ = strings.Cut(report, "==================")
		if strings.Contains(report, "fyne.io/systray.refresh()") &&
			strings.Contains(report, "fyne.io/systray.(*tray).GetLayout()") {
			t.Logf("known data race inside fyne.io/systray v1.12.2 (refresh vs GetLayout), ignored")
			continue
		}
		t.Errorf("data race in the tray demo:%s", report)
	}
}

func expectLine(ctx context.Context, t *testing.T, lines <-chan string, want string) {
	t.Helper()
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("demo exited before printing %q", want)
			}
			if l == want {
				return
			}
			t.Logf("demo: %s", l)
		case <-ctx.Done():
			t.Fatalf("demo never printed %q", want)
		}
	}
}

func TestTrayOverDBus(t *testing.T) {
	desktoptest.Require(t, desktoptest.SessionBus, desktoptest.TrayHost)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd, lines := startDemo(t)
	expectLine(ctx, t, lines, "ready")

	tray, err := desktoptest.FindTray(ctx, cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	items, err := tray.Layout(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := desktoptest.Labels(items)
	want := "[Open | Enabled [x] | --- | work [Copy key] | Unavailable (disabled) | Quit]"
	if got != want {
		t.Errorf("Labels(layout) = %s, want %s", got, want)
	}
	if it, ok := desktoptest.FindItem(items, "work/Copy key"); !ok || it.Label != "Copy key" || !it.Enabled {
		t.Errorf(`FindItem("work/Copy key") = %+v, %v`, it, ok)
	}
	if _, ok := desktoptest.FindItem(items, "work/Nope"); ok {
		t.Error(`FindItem("work/Nope") found something`)
	}

	for _, p := range []struct{ name, want string }{{"Title", "desktoptest demo"}, {"Status", "Active"}} {
		v, err := tray.Property(ctx, p.name)
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := v.Value().(string); s != p.want {
			t.Errorf("property %s = %v, want %q", p.name, v, p.want)
		}
	}
	if v, err := tray.Property(ctx, "IconPixmap"); err != nil {
		t.Fatal(err)
	} else if v.Signature().String() != "a(iiay)" {
		t.Errorf("IconPixmap has signature %s, want a(iiay)", v.Signature())
	}

	// The host registered the item with the watcher.
	var registered dbus.Variant
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	err = conn.Object("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher").CallWithContext(ctx,
		"org.freedesktop.DBus.Properties.Get", 0, "org.kde.StatusNotifierWatcher", "RegisteredStatusNotifierItems").Store(&registered)
	if err != nil {
		t.Fatal(err)
	}
	if list, _ := registered.Value().([]string); len(list) == 0 {
		t.Errorf("watcher lists no items: %v", registered)
	}

	for _, path := range []string{"Open", "work/Copy key"} {
		if err := tray.Click(ctx, path); err != nil {
			t.Fatal(err)
		}
		expectLine(ctx, t, lines, "clicked "+path)
	}
	if err := tray.Click(ctx, "Unavailable"); err == nil || !strings.Contains(err.Error(), "disabled") {
		t.Errorf("Click(disabled item) = %v, want a 'disabled' error", err)
	}
	if err := tray.Click(ctx, "Missing"); err == nil {
		t.Error("Click(missing item) succeeded")
	}

	if err := tray.Click(ctx, "Enabled"); err != nil {
		t.Fatal(err)
	}
	unchecked := func(items []desktoptest.MenuItem) bool {
		it, ok := desktoptest.FindItem(items, "Enabled")
		return ok && it.ToggleType == "checkmark" && it.ToggleState == 0
	}
	if _, err := tray.WaitFor(ctx, unchecked); err != nil {
		t.Fatal(err)
	}
	short, cancelShort := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancelShort()
	if last, err := tray.WaitFor(short, func([]desktoptest.MenuItem) bool { return false }); err == nil || len(last) == 0 {
		t.Errorf("WaitFor(never) = %d items, %v; want the last layout and an error", len(last), err)
	}

	if err := tray.Click(ctx, "Quit"); err != nil {
		t.Fatal(err)
	}
	expectLine(ctx, t, lines, "exit")
	if err := cmd.Wait(); err != nil {
		t.Errorf("demo: %v", err)
	}
}

func TestFindTrayTimeout(t *testing.T) {
	desktoptest.Require(t, desktoptest.SessionBus)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := desktoptest.FindTray(ctx, 1); err == nil {
		t.Fatal("FindTray(pid 1) found a tray")
	}
}

func TestFindItem(t *testing.T) {
	items := []desktoptest.MenuItem{
		{ID: 1, Label: "work", Visible: false, Children: []desktoptest.MenuItem{{ID: 2, Label: "Copy key", Visible: true}}},
		{ID: 3, Type: "separator", Visible: true},
		{ID: 4, Label: "work", Visible: true, Children: []desktoptest.MenuItem{
			{ID: 5, Label: "Copy key", Visible: true},
			{ID: 6, Label: "Remove…", Visible: true},
		}},
		{ID: 7, Label: "Quit", Visible: true},
	}
	for _, c := range []struct {
		path string
		id   int32
	}{{"Quit", 7}, {"work", 4}, {"work/Copy key", 5}, {"work/Remove…", 6}, {"", 0}, {"work/Quit", 0}, {"Quit/x", 0}} {
		it, ok := desktoptest.FindItem(items, c.path)
		if ok != (c.id != 0) || it.ID != c.id {
			t.Errorf("FindItem(%q) = id %d, %v; want id %d", c.path, it.ID, ok, c.id)
		}
	}
}

func TestShownLabel(t *testing.T) {
	for raw, shown := range map[string]string{
		"Copy key": "Copy key", "my_work_key": "myworkkey", "my__work__key": "my_work_key",
		"a____b": "a__b", "_x": "x", "x_": "x", "x__": "x_",
	} {
		if got := desktoptest.ShownLabel(raw); got != shown {
			t.Errorf("ShownLabel(%q) = %q, want %q", raw, got, shown)
		}
	}
}
