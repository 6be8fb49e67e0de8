package desktoptest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"
)

// Notification is one org.freedesktop.Notifications.Notify call seen on the
// session bus.
type Notification struct {
	App     string
	Summary string
	Body    string
	Icon    string
	Hints   map[string]dbus.Variant // e.g. "urgency" (byte), "image-data"
	Sender  string                  // unique bus name of the caller
}

// NotificationWatcher records every Notify call made on the session bus from
// the moment [WatchNotifications] returns.
type NotificationWatcher struct {
	conn *dbus.Conn

	mu      sync.Mutex
	all     []Notification
	next    int           // index of the first notification Next has not returned
	changed chan struct{} // closed and replaced when all grows or the watcher stops
	done    bool
}

const notifyRule = "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"

// WatchNotifications becomes a D-Bus monitor (BecomeMonitor) for Notify
// calls on its own connection. The connection is closed by t.Cleanup. It
// fails the test when the session bus is unreachable.
func WatchNotifications(t testing.TB) *NotificationWatcher {
	t.Helper()
	w, err := watchNotifications()
	if err != nil {
		t.Fatalf("desktoptest: watching notifications: %v", err)
	}
	t.Cleanup(w.close)
	return w
}

func watchNotifications() (*NotificationWatcher, error) {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return nil, err
	}
	call := conn.BusObject().Call("org.freedesktop.DBus.Monitoring.BecomeMonitor", 0, []string{notifyRule}, uint32(0))
	if call.Err != nil {
		conn.Close()
		return nil, fmt.Errorf("BecomeMonitor: %w", call.Err)
	}
	// A monitor only receives; godbus drops eavesdropped messages when the
	// channel is full, so keep it large and drain it at once.
	msgs := make(chan *dbus.Message, 1024)
	conn.Eavesdrop(msgs)
	w := &NotificationWatcher{conn: conn, changed: make(chan struct{})}
	go w.loop(msgs)
	return w, nil
}

func (w *NotificationWatcher) loop(msgs <-chan *dbus.Message) {
	for m := range msgs { // closed by conn.Close
		n, ok := parseNotify(m)
		if !ok {
			continue
		}
		w.mu.Lock()
		w.all = append(w.all, n)
		close(w.changed)
		w.changed = make(chan struct{})
		w.mu.Unlock()
	}
	w.mu.Lock()
	w.done = true
	close(w.changed)
	w.changed = make(chan struct{})
	w.mu.Unlock()
}

// parseNotify decodes Notify(app s, replaces u, icon s, summary s, body s,
// actions as, hints a{sv}, timeout i); it skips everything else (such as the
// NameAcquired/NameLost signals a monitor gets about itself).
func parseNotify(m *dbus.Message) (Notification, bool) {
	if m.Type != dbus.TypeMethodCall {
		return Notification{}, false
	}
	if member, _ := m.Headers[dbus.FieldMember].Value().(string); member != "Notify" {
		return Notification{}, false
	}
	if len(m.Body) < 7 {
		return Notification{}, false
	}
	var n Notification
	n.App, _ = m.Body[0].(string)
	n.Icon, _ = m.Body[2].(string)
	n.Summary, _ = m.Body[3].(string)
	n.Body, _ = m.Body[4].(string)
	n.Hints, _ = m.Body[6].(map[string]dbus.Variant)
	if s, ok := m.Headers[dbus.FieldSender]; ok {
		n.Sender, _ = s.Value().(string)
	}
	return n, true
}

func (w *NotificationWatcher) close() { w.conn.Close() }

// Next returns the oldest notification that Next has not returned yet,
// waiting for one until ctx ends.
func (w *NotificationWatcher) Next(ctx context.Context) (Notification, error) {
	for {
		w.mu.Lock()
		if w.next < len(w.all) {
			n := w.all[w.next]
			w.next++
			w.mu.Unlock()
			return n, nil
		}
		changed, done := w.changed, w.done
		w.mu.Unlock()
		if done {
			return Notification{}, fmt.Errorf("desktoptest: notification watcher closed")
		}
		select {
		case <-ctx.Done():
			return Notification{}, fmt.Errorf("desktoptest: waiting for a notification: %w", ctx.Err())
		case <-changed:
		}
	}
}

// NextFrom is [NotificationWatcher.Next] for one sender (a unique bus name
// such as ":1.42"): notifications from other senders — other tests sharing
// the session — are skipped.
func (w *NotificationWatcher) NextFrom(ctx context.Context, sender string) (Notification, error) {
	for {
		n, err := w.Next(ctx)
		if err != nil || n.Sender == sender {
			return n, err
		}
	}
}

// All returns every notification seen so far, oldest first.
func (w *NotificationWatcher) All() []Notification {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Notification(nil), w.all...)
}
