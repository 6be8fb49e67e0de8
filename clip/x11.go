//go:build linux || freebsd || openbsd || netbsd || dragonfly

package clip

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// x11Owner owns the X11 CLIPBOARD selection and answers every request for
// it from memory: the text under the usual text targets and "secret" under
// [HintTarget] (ICCCM §2; the targets a password manager offers are those
// of KeePassXC, keepassx/keepassx#211). xclip and xsel offer one target
// only (astrand/xclip#32), hence an owner of our own.
//
// It waits on the X connection only (no timer, no polling): xgb's reader
// goroutine blocks in read(2) until the server has an event.
type x11Owner struct {
	conn  *xgb.Conn
	win   xproto.Window
	atoms map[string]xproto.Atom
	names map[xproto.Atom]string
	sel   xproto.Atom
	ts    xproto.Timestamp // when we took the selection (ICCCM: never CurrentTime)
	text  []byte
	max   int // largest property we may write in one request, in bytes

	lost     chan struct{} // closed when another client took the selection
	lostOnce sync.Once
	done     chan struct{} // closed when the event loop ended
}

// x11Targets are the targets offered besides TARGETS and TIMESTAMP, in
// the order TARGETS lists them: the text first, as xclip offers it.
var x11Targets = []string{"UTF8_STRING", "text/plain;charset=utf-8", "text/plain", "TEXT", "STRING", HintTarget}

// ownX11 connects to the X server named by display ("" is $DISPLAY), takes
// the CLIPBOARD selection and serves text until [x11Owner.release] or
// until another client takes it. The error says which step failed.
func ownX11(display string, text []byte) (*x11Owner, error) {
	conn, err := dialX11(display)
	if err != nil {
		return nil, err
	}
	o := &x11Owner{conn: conn, text: text, lost: make(chan struct{}), done: make(chan struct{})}
	if err := o.setup(); err != nil {
		conn.Close()
		return nil, err
	}
	go o.loop()
	return o, nil
}

var quietXGB sync.Once

// dialX11 connects to the X server named by display ("" is $DISPLAY).
func dialX11(display string) (*xgb.Conn, error) {
	// xgb logs to stderr by default ("Could not get authority info" when
	// there is no ~/.Xauthority, which is normal): not on doctor's output.
	quietXGB.Do(func() { xgb.Logger = log.New(io.Discard, "", 0) })
	conn, err := xgb.NewConnDisplay(display)
	if err != nil {
		// xgb says "cannot connect to :0: dial unix …: connect: no such
		// file or directory"; say it as xclip does, with the cause last.
		name := display
		if name == "" {
			name = os.Getenv("DISPLAY")
		}
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return nil, fmt.Errorf("can't open display %s: %s", name, msg)
	}
	return conn, nil
}

func (o *x11Owner) setup() error {
	c := o.conn
	setup := xproto.Setup(c)
	screen := setup.DefaultScreen(c)
	// The property we write must fit in one request (no INCR): the
	// request's length in 4-byte units, less the ChangeProperty header.
	o.max = int(setup.MaximumRequestLength)*4 - 24
	if len(o.text) > o.max {
		return fmt.Errorf("the text is %d bytes, more than the X server takes at once (%d)", len(o.text), o.max)
	}
	o.atoms = map[string]xproto.Atom{}
	o.names = map[xproto.Atom]string{}
	names := append([]string{"CLIPBOARD", "TARGETS", "TIMESTAMP", "ATOM", "INTEGER", "MULTIPLE"}, x11Targets...)
	cookies := make([]xproto.InternAtomCookie, len(names))
	for i, n := range names {
		cookies[i] = xproto.InternAtom(c, false, uint16(len(n)), n)
	}
	for i, ck := range cookies {
		r, err := ck.Reply()
		if err != nil {
			return fmt.Errorf("interning the atom %s: %w", names[i], err)
		}
		o.atoms[names[i]] = r.Atom
		o.names[r.Atom] = names[i]
	}
	o.sel = o.atoms["CLIPBOARD"]

	win, err := xproto.NewWindowId(c)
	if err != nil {
		return fmt.Errorf("allocating a window: %w", err)
	}
	o.win = win
	// An unmapped input-only window: it only receives the selection
	// events, and property changes for the timestamp below.
	if err := xproto.CreateWindowChecked(c, 0, win, screen.Root, -1, -1, 1, 1, 0,
		xproto.WindowClassInputOnly, screen.RootVisual,
		xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange}).Check(); err != nil {
		return fmt.Errorf("creating a window: %w", err)
	}
	ts, err := o.serverTime()
	if err != nil {
		return err
	}
	o.ts = ts
	if err := xproto.SetSelectionOwnerChecked(c, win, o.sel, ts).Check(); err != nil {
		return fmt.Errorf("taking the clipboard: %w", err)
	}
	r, err := xproto.GetSelectionOwner(c, o.sel).Reply()
	if err != nil {
		return fmt.Errorf("checking the clipboard's owner: %w", err)
	}
	if r.Owner != win {
		return errors.New("the X server did not give us the clipboard")
	}
	return nil
}

// serverTime gets a timestamp from the X server, as ICCCM §2.1 asks of a
// selection owner: append nothing to a property of our window and read
// the time of the PropertyNotify that follows.
func (o *x11Owner) serverTime() (xproto.Timestamp, error) {
	c := o.conn
	a := o.atoms["TIMESTAMP"]
	if err := xproto.ChangePropertyChecked(c, xproto.PropModeAppend, o.win, a, o.atoms["INTEGER"], 32, 0, nil).Check(); err != nil {
		return 0, fmt.Errorf("asking the X server for the time: %w", err)
	}
	deadline := time.After(5 * time.Second)
	events := make(chan xgb.Event, 1)
	go func() {
		for {
			ev, err := c.WaitForEvent()
			if ev == nil && err == nil {
				close(events)
				return
			}
			if p, ok := ev.(xproto.PropertyNotifyEvent); ok && p.Window == o.win && p.Atom == a {
				events <- p
				return
			}
		}
	}()
	select {
	case ev, ok := <-events:
		if !ok {
			return 0, errors.New("the X server closed the connection")
		}
		return ev.(xproto.PropertyNotifyEvent).Time, nil
	case <-deadline:
		return 0, errors.New("the X server did not answer within 5s")
	}
}

// loop answers selection requests until the connection closes.
func (o *x11Owner) loop() {
	defer close(o.done)
	for {
		ev, xerr := o.conn.WaitForEvent()
		if ev == nil && xerr == nil {
			// The connection closed: by release, or because the X
			// server went away (logout), which takes the selection
			// with it.
			o.lostOnce.Do(func() { close(o.lost) })
			return
		}
		switch e := ev.(type) {
		case xproto.SelectionRequestEvent:
			o.answer(e)
		case xproto.SelectionClearEvent:
			if e.Selection == o.sel {
				o.lostOnce.Do(func() { close(o.lost) })
			}
		}
		// Errors (a requestor window that vanished before we wrote to
		// it: BadWindow) concern that one request only.
	}
}

// answer serves one SelectionRequest: the data goes into the requestor's
// property, then a SelectionNotify says where (Property None: refused).
func (o *x11Owner) answer(e xproto.SelectionRequestEvent) {
	prop := e.Property
	if prop == xproto.AtomNone {
		prop = e.Target // an obsolete client (ICCCM §2.2)
	}
	if e.Selection != o.sel || !o.write(e.Requestor, prop, e.Target, e.Time) {
		prop = xproto.AtomNone
	}
	ev := xproto.SelectionNotifyEvent{
		Time: e.Time, Requestor: e.Requestor, Selection: e.Selection, Target: e.Target, Property: prop,
	}
	xproto.SendEvent(o.conn, false, e.Requestor, xproto.EventMaskNoEvent, string(ev.Bytes()))
}

// write puts the selection converted to target into the requestor's
// property and reports whether target is one we offer.
func (o *x11Owner) write(req xproto.Window, prop, target xproto.Atom, t xproto.Timestamp) bool {
	if t != xproto.TimeCurrentTime && t < o.ts {
		return false // a request for an earlier owner's selection
	}
	c := o.conn
	put := func(typ xproto.Atom, format byte, n int, data []byte) bool {
		xproto.ChangeProperty(c, xproto.PropModeReplace, req, prop, typ, format, uint32(n), data)
		return true
	}
	switch o.names[target] {
	case "TARGETS":
		list := append([]string{"TARGETS", "TIMESTAMP"}, x11Targets...)
		b := make([]byte, 0, 4*len(list))
		for _, n := range list {
			if n == "STRING" && !latin1(o.text) {
				continue
			}
			b = put32(b, uint32(o.atoms[n]))
		}
		return put(o.atoms["ATOM"], 32, len(b)/4, b)
	case "TIMESTAMP":
		return put(o.atoms["INTEGER"], 32, 1, put32(nil, uint32(o.ts)))
	case "UTF8_STRING", "text/plain;charset=utf-8", "text/plain":
		return put(target, 8, len(o.text), o.text)
	case "TEXT":
		// TEXT lets the owner choose the type: UTF-8 (ICCCM §2.6.2).
		return put(o.atoms["UTF8_STRING"], 8, len(o.text), o.text)
	case "STRING":
		if !latin1(o.text) {
			return false
		}
		b := toLatin1(o.text)
		return put(target, 8, len(b), b)
	case HintTarget:
		return put(target, 8, len(hintValue), []byte(hintValue))
	}
	return false // MULTIPLE and anything else: refused
}

// lostCh is closed when another client took the selection.
func (o *x11Owner) lostCh() <-chan struct{} { return o.lost }

// release gives the selection up if it is still ours, and closes the
// connection. Our own timestamp makes the server ignore the request when
// someone took the selection after us (a later SetSelectionOwner has a
// later time), so a user's copy is never cleared by mistake.
func (o *x11Owner) release() {
	select {
	case <-o.lost:
	default:
		_ = xproto.SetSelectionOwnerChecked(o.conn, xproto.WindowNone, o.sel, o.ts).Check()
	}
	o.conn.Close()
	<-o.done
}

// latin1 reports whether text (UTF-8) can be given as STRING, ISO 8859-1
// (ICCCM §2.6.2).
func latin1(text []byte) bool {
	for len(text) > 0 {
		r, n := utf8.DecodeRune(text)
		if r == utf8.RuneError && n <= 1 || r > 0xff {
			return false
		}
		text = text[n:]
	}
	return true
}

func toLatin1(text []byte) []byte {
	b := make([]byte, 0, len(text))
	for _, r := range string(text) {
		b = append(b, byte(r))
	}
	return b
}

// put32 appends v in the connection's byte order (xgb speaks
// little-endian to the server, xgb.Put32).
func put32(b []byte, v uint32) []byte {
	var w [4]byte
	xgb.Put32(w[:], v)
	return append(b, w[:]...)
}

// readX11 reads the X11 clipboard as UTF8_STRING over a connection of
// its own, as any requestor does (ICCCM §2.4): the text of whoever owns
// it now. No owner, or one that refuses UTF8_STRING, reads as an error,
// and so does a text longer than one request could have put there (more
// than anykey copies). It needs no xclip; within 5 s.
func readX11() (string, error) {
	c, err := dialX11("")
	if err != nil {
		return "", err
	}
	defer c.Close()
	max := int(xproto.Setup(c).MaximumRequestLength) * 4
	names := []string{"CLIPBOARD", "UTF8_STRING", "INCR", "ANYKEY_CLIPBOARD"}
	atoms := make([]xproto.Atom, len(names))
	for i, n := range names {
		r, err := xproto.InternAtom(c, false, uint16(len(n)), n).Reply()
		if err != nil {
			return "", fmt.Errorf("interning the atom %s: %w", n, err)
		}
		atoms[i] = r.Atom
	}
	sel, utf8Atom, incr, prop := atoms[0], atoms[1], atoms[2], atoms[3]
	screen := xproto.Setup(c).DefaultScreen(c)
	win, err := xproto.NewWindowId(c)
	if err != nil {
		return "", err
	}
	if err := xproto.CreateWindowChecked(c, 0, win, screen.Root, -1, -1, 1, 1, 0,
		xproto.WindowClassInputOnly, screen.RootVisual, 0, nil).Check(); err != nil {
		return "", fmt.Errorf("creating a window: %w", err)
	}
	if err := xproto.ConvertSelectionChecked(c, win, sel, utf8Atom, prop, xproto.TimeCurrentTime).Check(); err != nil {
		return "", fmt.Errorf("asking for the clipboard: %w", err)
	}
	notify := make(chan xproto.SelectionNotifyEvent, 1)
	go func() {
		for {
			ev, xerr := c.WaitForEvent()
			if ev == nil && xerr == nil {
				return
			}
			if n, ok := ev.(xproto.SelectionNotifyEvent); ok && n.Requestor == win {
				notify <- n
				return
			}
		}
	}()
	var n xproto.SelectionNotifyEvent
	select {
	case n = <-notify:
	case <-time.After(5 * time.Second):
		return "", errors.New("the clipboard's owner did not answer within 5s")
	}
	if n.Property == xproto.AtomNone {
		return "", errors.New("the clipboard holds no text")
	}
	r, err := xproto.GetProperty(c, true, win, prop, xproto.GetPropertyTypeAny, 0, uint32(max/4+1)).Reply()
	if err != nil {
		return "", fmt.Errorf("reading the clipboard: %w", err)
	}
	if r.Type == incr || r.BytesAfter > 0 {
		// More than we ever put there: not our text.
		return "", errors.New("the clipboard holds a text larger than anykey copies")
	}
	return string(r.Value), nil
}
