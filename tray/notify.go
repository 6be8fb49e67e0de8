package tray

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/gen2brain/beeep"
)

// Notifier shows a desktop notification. Callers never put a key in title
// or body (house style §17): notifications are logged by daemons and shown
// on lock screens.
type Notifier interface {
	Notify(title, body string) error
}

// notifyWait bounds one notification: a broken daemon can make beeep hang
// (gen2brain/beeep#70).
const notifyWait = 5 * time.Second

var appNameOnce sync.Once

// Beeep is the [Notifier] for the real desktop. On Linux beeep talks to
// org.freedesktop.Notifications over the process's shared session bus
// connection, the one fyne.io/systray uses too; v0.11.3 no longer closes it
// (gen2brain/beeep#73), which the e2e test keeps proving.
type Beeep struct {
	icon []byte
}

// NewBeeep sets beeep.AppName (once per process) and returns a notifier
// that shows icon (PNG bytes; nil for none).
func NewBeeep(appName string, icon []byte) *Beeep {
	appNameOnce.Do(func() { beeep.AppName = appName })
	return &Beeep{icon: icon}
}

// Notify sends the notification from its own goroutine and waits at most
// notifyWait for it; a late one is left to finish on its own.
//
// Text is made safe here, the one place every notification passes: the
// title loses control and bidi characters, and on freedesktop systems the
// body is escaped too, since daemons render its <b>, <a href> and
// entities (Desktop Notifications Specification, "Markup"). Server text and
// names from keys.json reach notifications through error messages.
func (b *Beeep) Notify(title, body string) error {
	title = textsafe.Terminal(title)
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		body = textsafe.Terminal(body)
	} else {
		body = textsafe.Markup(body)
	}
	var icon any = ""
	if len(b.icon) > 0 {
		icon = b.icon
	}
	done := make(chan error, 1)
	go func() {
		// Asked here, under notifyWait too: a silent bus holds it up to
		// busdial.Handshake.
		if err := refusedBus(); err != nil {
			done <- err
			return
		}
		done <- beeep.Notify(title, body, icon)
	}()
	t := time.NewTimer(notifyWait)
	defer t.Stop()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("showing notification: %w", err)
		}
		return nil
	case <-t.C:
		return errors.New("showing notification: no answer from the notification service")
	}
}
