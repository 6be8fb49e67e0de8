//go:build linux || freebsd || openbsd || netbsd || dragonfly

package clip

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/anykey-app/anykey/internal/wlwire"
	"golang.org/x/sys/unix"
)

// On Wayland a client without a window can own the clipboard only through
// a data-control protocol: ext-data-control-v1 (wayland-protocols 1.39)
// or its forerunner wlr-data-control-unstable-v1. sway, KDE's KWin,
// Hyprland and COSMIC have one; GNOME's Mutter has neither, and there
// ownClipboard falls back to the X server (Xwayland).

// errNoDataControl: the compositor offers no data-control protocol.
var errNoDataControl = errors.New("the compositor has no data-control protocol")

func isNoDataControl(err error) bool { return errors.Is(err, errNoDataControl) }

// The two data-control protocols have the same requests and events with
// the same opcodes; only the interface names differ.
var dataControlManagers = []string{"ext_data_control_manager_v1", "zwlr_data_control_manager_v1"}

// Opcodes shared by ext-data-control-v1 and wlr-data-control-unstable-v1.
const (
	managerCreateDataSource = 0 // new_id source
	managerGetDataDevice    = 1 // new_id device, object seat
	deviceSetSelection      = 0 // object source (nullable)
	sourceOffer             = 0 // string mime_type
	sourceDestroy           = 1
	eventSourceSend         = 0 // string mime_type, fd
	eventSourceCancelled    = 1
	eventDeviceFinished     = 2
)

// waylandMIME are the MIME types offered, text first, as wl-copy offers
// text, then the hint.
var waylandMIME = []string{"text/plain;charset=utf-8", "text/plain", "UTF8_STRING", "TEXT", "STRING", HintTarget}

// waylandOwner owns the Wayland clipboard through data-control and
// answers each paste (a send event with a pipe) from memory. It waits in
// one blocking read on the compositor's socket: no timer, no polling.
type waylandOwner struct {
	c        *wlwire.Conn
	registry uint32
	source   uint32
	device   uint32
	bye      atomic.Uint32 // the callback release waits for
	display  string        // which socket, for messages
	text     []byte

	lost     chan struct{}
	lostOnce sync.Once
	done     chan struct{}
	writes   sync.WaitGroup
}

// ownWayland connects to $WAYLAND_DISPLAY and takes the clipboard.
func ownWayland(text []byte) (selectionOwner, error) {
	c, err := wlwire.Dial()
	if err != nil {
		return nil, fmt.Errorf("connecting to the Wayland compositor: %w", err)
	}
	o := &waylandOwner{c: c, text: text, display: os.Getenv("WAYLAND_DISPLAY"),
		lost: make(chan struct{}), done: make(chan struct{})}
	if err := o.setup(); err != nil {
		c.Close()
		return nil, err
	}
	go o.loop()
	return o, nil
}

// request is one message to send.
type request struct {
	obj  uint32
	op   uint16
	args []any
}

// global is one object the compositor announced in its registry.
type global struct {
	name    uint32
	iface   string
	version uint32
}

// globals gets the compositor's registry: every global it announces.
// It leaves the registry's id in o.registry, for binding.
func (o *waylandOwner) globals() ([]global, error) {
	c := o.c
	registry := c.NewID()
	o.registry = registry
	if err := c.Send(wlwire.Display, wlwire.DisplayGetRegistry, registry); err != nil {
		return nil, fmt.Errorf("talking to the Wayland compositor: %w", err)
	}
	var globals []global
	err := o.roundtrip(func(ev wlwire.Event) error {
		if ev.Object != registry || ev.Opcode != wlwire.RegistryGlobal {
			return nil
		}
		a := wlwire.NewArgs(ev)
		name, err1 := a.Uint()
		iface, err2 := a.String()
		version, err3 := a.Uint()
		if err := errors.Join(err1, err2, err3); err != nil {
			return err
		}
		globals = append(globals, global{name, iface, version})
		return nil
	})
	return globals, err
}

func (o *waylandOwner) setup() error {
	c := o.c
	globals, err := o.globals()
	if err != nil {
		return err
	}
	registry := o.registry
	var seat, manager *global
	for i, g := range globals {
		if g.iface == "wl_seat" && seat == nil {
			seat = &globals[i]
		}
	}
	for _, want := range dataControlManagers {
		for i, g := range globals {
			if g.iface == want && manager == nil {
				manager = &globals[i]
			}
		}
	}
	if manager == nil {
		return errNoDataControl
	}
	if seat == nil {
		return errors.New("the Wayland compositor has no seat")
	}
	seatID, managerID := c.NewID(), c.NewID()
	o.source = c.NewID()
	device := c.NewID()
	o.device = device
	msgs := []request{
		{registry, wlwire.RegistryBind, []any{seat.name, "wl_seat", uint32(1), seatID}},
		{registry, wlwire.RegistryBind, []any{manager.name, manager.iface, uint32(1), managerID}},
		{managerID, managerCreateDataSource, []any{o.source}},
	}
	for _, m := range o.mimes() {
		msgs = append(msgs, request{o.source, sourceOffer, []any{m}})
	}
	msgs = append(msgs,
		request{managerID, managerGetDataDevice, []any{device, seatID}},
		request{device, deviceSetSelection, []any{o.source}})
	for _, m := range msgs {
		if err := c.Send(m.obj, m.op, m.args...); err != nil {
			return fmt.Errorf("talking to the Wayland compositor: %w", err)
		}
	}
	// The compositor takes the selection as it handles set_selection; a
	// round trip later it is ours unless it said otherwise.
	cancelled := false
	err = o.roundtrip(func(ev wlwire.Event) error {
		switch {
		case ev.Object == o.source && ev.Opcode == eventSourceCancelled,
			ev.Object == device && ev.Opcode == eventDeviceFinished:
			cancelled = true
		case ev.Object == o.source && ev.Opcode == eventSourceSend:
			return o.send(ev) // a clipboard manager may ask at once
		}
		return nil
	})
	if err != nil {
		return err
	}
	if cancelled {
		return errors.New("the Wayland compositor did not give us the clipboard")
	}
	return nil
}

// mimes are the types offered for o.text: STRING only when it is Latin-1.
func (o *waylandOwner) mimes() []string {
	var m []string
	for _, t := range waylandMIME {
		if t != "STRING" || latin1(o.text) {
			m = append(m, t)
		}
	}
	return m
}

// roundtrip sends wl_display.sync and hands each event to handle until its
// callback is done, within 5 s. A protocol error is returned as an error.
func (o *waylandOwner) roundtrip(handle func(wlwire.Event) error) error {
	cb := o.c.NewID()
	if err := o.c.Send(wlwire.Display, wlwire.DisplaySync, cb); err != nil {
		return fmt.Errorf("talking to the Wayland compositor: %w", err)
	}
	timer := time.AfterFunc(5*time.Second, func() { o.c.Close() })
	defer timer.Stop()
	for {
		ev, err := o.c.ReadEvent()
		if err != nil {
			if !timer.Stop() {
				return errors.New("the Wayland compositor did not answer within 5s")
			}
			return fmt.Errorf("reading from the Wayland compositor: %w", err)
		}
		if ev.Object == cb && ev.Opcode == wlwire.CallbackDone {
			return nil
		}
		if ev.Object == wlwire.Display && ev.Opcode == wlwire.DisplayError {
			return displayError(ev)
		}
		if err := handle(ev); err != nil {
			return err
		}
	}
}

func displayError(ev wlwire.Event) error {
	a := wlwire.NewArgs(ev)
	obj, _ := a.Uint()
	code, _ := a.Uint()
	msg, _ := a.String()
	return fmt.Errorf("the Wayland compositor reported a protocol error on object %d (code %d): %s", obj, code, msg)
}

// loop answers pastes until the clipboard is lost or the connection ends.
func (o *waylandOwner) loop() {
	defer close(o.done)
	defer o.markLost()
	for {
		ev, err := o.c.ReadEvent()
		if err != nil {
			return
		}
		switch {
		case ev.Object == wlwire.Display && ev.Opcode == wlwire.DisplayError:
			return // fatal for the connection
		case ev.Object == o.source && ev.Opcode == eventSourceSend:
			if o.send(ev) != nil {
				return
			}
		case ev.Object == o.source && ev.Opcode == eventSourceCancelled:
			return // another client took the clipboard
		case ev.Object == o.device && ev.Opcode == eventDeviceFinished:
			return // our data device is gone (the seat went away)
		case ev.Object == o.bye.Load() && ev.Opcode == wlwire.CallbackDone:
			return // release's round trip
		}
	}
}

// send writes the text converted to the asked MIME type into the pipe the
// compositor passed, and closes it. The write runs on its own, so a paster
// that does not read cannot stall the others.
func (o *waylandOwner) send(ev wlwire.Event) error {
	mime, err := wlwire.NewArgs(ev).String()
	if err != nil {
		return err
	}
	fd, err := o.c.TakeFD()
	if err != nil {
		return err
	}
	var data []byte
	switch mime {
	case HintTarget:
		data = []byte(hintValue)
	case "STRING":
		data = toLatin1(o.text)
	default:
		data = o.text
	}
	// Non-blocking, so the runtime's poller takes the pipe and the write
	// deadline below holds: a paster that never reads must not keep the
	// server (and its release) waiting for ever.
	_ = unix.SetNonblock(fd, true)
	f := os.NewFile(uintptr(fd), "paste")
	o.writes.Add(1)
	go func() {
		defer o.writes.Done()
		defer f.Close()
		_ = f.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_, _ = f.Write(data)
	}()
	return nil
}

func (o *waylandOwner) markLost() { o.lostOnce.Do(func() { close(o.lost) }) }

func (o *waylandOwner) lostCh() <-chan struct{} { return o.lost }

// release destroys the source and disconnects. A compositor clears the
// selection when the source it holds is destroyed, and only then: unlike
// set_selection(NULL), this cannot clear a copy someone made after ours.
func (o *waylandOwner) release() {
	_ = o.c.Send(o.source, sourceDestroy)
	// A round trip, so the destroy is handled before the socket closes
	// (closing alone would also destroy it).
	cb := o.c.NewID()
	o.bye.Store(cb)
	_ = o.c.Send(wlwire.Display, wlwire.DisplaySync, cb)
	select {
	case <-o.done:
	case <-time.After(time.Second):
	}
	o.c.Close()
	<-o.done
	o.writes.Wait()
}
