package desktoptest_test

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

func TestWatchNotifications(t *testing.T) {
	desktoptest.Require(t, desktoptest.SessionBus, desktoptest.Notifications)
	w := desktoptest.WatchNotifications(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	send := func(args ...string) {
		t.Helper()
		if out, err := exec.CommandContext(ctx, "notify-send", args...).CombinedOutput(); err != nil {
			t.Fatalf("notify-send %v: %v: %s", args, err, out)
		}
	}
	send("--app-name=desktoptest", "--icon=/tmp/desktoptest-icon.png", "--urgency=critical", "First summary", "First body")
	send("--app-name=desktoptest", "Second summary", "Second body")

	n, err := w.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.App != "desktoptest" || n.Summary != "First summary" || n.Body != "First body" || n.Icon != "/tmp/desktoptest-icon.png" {
		t.Errorf("first notification = %+v", n)
	}
	if u, _ := n.Hints["urgency"].Value().(byte); u != 2 {
		t.Errorf("urgency hint = %v, want byte 2 (critical)", n.Hints["urgency"])
	}
	if n.Sender == "" {
		t.Error("Sender is empty")
	}
	n, err = w.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.Summary != "Second summary" || n.Body != "Second body" {
		t.Errorf("second notification = %+v", n)
	}
	if all := w.All(); len(all) != 2 || all[0].Summary != "First summary" {
		t.Errorf("All() = %+v, want the two notifications in order", all)
	}

	short, cancelShort := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancelShort()
	if n, err := w.Next(short); err == nil {
		t.Errorf("Next with nothing sent = %+v, want a timeout", n)
	}
}
