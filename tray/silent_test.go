package tray

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/anykey-app/anykey/internal/doctor"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// deadNotifier is a desktop without a notification daemon.
type deadNotifier struct{ recNotifier }

func (n *deadNotifier) Notify(title, body string) error {
	n.recNotifier.Notify(title, body)
	return errors.New("showing notification: org.freedesktop.DBus.Error.ServiceUnknown")
}

// informing is a prompter that can also show message dialogs.
type informing struct {
	*defaulting
	mu    sync.Mutex
	infos []note
}

func (p *informing) Info(ctx context.Context, title, text string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.infos = append(p.infos, note{title, text})
	return nil
}

func (p *informing) titles() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, n := range p.infos {
		out = append(out, n.Title)
	}
	return out
}

// silentDesktop rewires e to a desktop with no notification daemon.
func silentDesktop(e *env) *informing {
	p := &informing{defaulting: &defaulting{e.prompt}}
	e.app.d.Notifier = &deadNotifier{}
	e.app.d.Prompter = p
	return p
}

// TestNoNotificationDaemonResultsGoToDialogs: the result of each click,
// which would be a notification, is a message dialog when no notification
// can be shown; notes about work under way are not (the dialog that
// follows them says the same).
func TestNoNotificationDaemonResultsGoToDialogs(t *testing.T) {
	t.Parallel()
	t.Run("New API key… while Anytype is down", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, fakeanytype.Config{}, deadURL(t))
		p := silentDesktop(e)
		e.click(ActNewKey, "")
		e.app.wait()
		if got := p.titles(); !slices.Contains(got, "Anytype is not running") {
			t.Errorf("dialogs %q, want one saying Anytype is not running", got)
		}
	})
	t.Run("Verify", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, fakeanytype.Config{})
		p := silentDesktop(e)
		k := e.mint(t, "x")
		e.save(t, "work", k)
		e.click(ActVerify, "work")
		e.app.wait()
		if got := p.titles(); !slices.Equal(got, []string{`Key "work" works`}) {
			t.Errorf("dialogs %q, want the verify result", got)
		}
	})
	t.Run("pairing shows its result, not its progress", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, fakeanytype.Config{})
		p := silentDesktop(e)
		c := &codes{s: e.srv}
		e.prompt.entries = []answerFunc{acceptDefault, c.right}
		e.click(ActNewKey, "")
		e.app.wait()
		got := p.titles()
		t.Logf("dialogs: %q", got)
		if len(got) != 1 || !strings.Contains(got[0], `"anykey"`) {
			t.Errorf("dialogs %q, want only the saved key's result", got)
		}
		for _, title := range got {
			if strings.HasPrefix(title, "Pairing ") {
				t.Errorf("a progress note became a dialog: %q", title)
			}
		}
	})
}

// TestCheckThisDesktop shows doctor's findings in a dialog.
func TestCheckThisDesktop(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	p := &informing{defaulting: &defaulting{e.prompt}}
	e.app.d.Prompter = p
	e.app.d.CheckDesktop = func(ctx context.Context) doctor.Report {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("the check runs without a deadline")
		}
		return doctor.Report{Findings: []doctor.Finding{{Title: "Notifications", Status: doctor.Warning,
			Found: "no notification daemon on the session bus", Fix: "start one"}}}
	}
	e.click(ActCheck, "")
	if len(p.infos) != 1 || p.infos[0].Title != checkTitle ||
		!strings.Contains(p.infos[0].Body, "warning — Notifications: no notification daemon on the session bus\n      → start one") {
		t.Errorf("dialogs %+v", p.infos)
	}
	if n := e.notes.all(); len(n) != 0 {
		t.Errorf("notifications %+v besides the dialog", n)
	}
}
