package tray

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/godbus/dbus/v5"
)

// TestBeeepMakesTextSafe sends a notification holding server text through
// the real notification daemon's bus and reads what the daemon was given:
// no control or bidi characters in the title, body markup escaped.
func TestBeeepMakesTextSafe(t *testing.T) {
	desktoptest.Require(t, desktoptest.SessionBus, desktoptest.Notifications)
	notes := desktoptest.WatchNotifications(t)
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatal(err)
	}
	title := "Pairing \u202e\"evil\"\x1b[31m failed"
	body := `anytype said: <b>re-pair</b> at <a href="https://evil.example">here</a> & <img src="x"> ` + "\u2066x\u2069"
	if err := NewBeeep("anykey", nil).Notify(title, body); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n, err := notes.NextFrom(ctx, conn.Names()[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(n.Summary, "\u202e\x1b") {
		t.Errorf("summary %q keeps a control or bidi character", n.Summary)
	}
	if strings.ContainsAny(n.Body, "<>\u2066\u2069") || !strings.Contains(n.Body, "&lt;b&gt;re-pair&lt;/b&gt;") || !strings.Contains(n.Body, "&amp;") {
		t.Errorf("body %q is not escaped", n.Body)
	}
}
