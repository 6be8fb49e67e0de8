//go:build linux || freebsd || openbsd || netbsd || dragonfly

package wlwire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/sys/unix"
)

// Display is the object id of wl_display, which every connection starts
// with.
const Display uint32 = 1

// Opcodes of wl_display and wl_registry (wayland.xml).
const (
	DisplaySync        = 0 // request: new_id callback
	DisplayGetRegistry = 1 // request: new_id registry
	DisplayError       = 0 // event: object, uint code, string message
	DisplayDeleteID    = 1 // event: uint id
	RegistryBind       = 0 // request: uint name, string interface, uint version, new_id
	RegistryGlobal     = 0 // event: uint name, string interface, uint version
	CallbackDone       = 0 // event: uint data
)

// maxMessage is the largest message libwayland sends or takes (its
// WL_MAX_MESSAGE_SIZE is 4096 bytes).
const maxMessage = 4096

// ErrMessage is a message from the compositor that does not follow the
// wire format.
var ErrMessage = errors.New("malformed Wayland message")

// Event is one message from the compositor. Args holds its arguments
// still encoded; read them with an [Args].
type Event struct {
	Object uint32
	Opcode uint16
	Args   []byte
}

// Conn is a connection to a Wayland compositor. Send may be called from
// any goroutine; ReadEvent and TakeFD from one reader at a time.
type Conn struct {
	uc *net.UnixConn

	wmu  sync.Mutex
	next uint32 // the next client object id

	buf []byte // bytes read and not yet decoded
	fds []int  // file descriptors received and not yet taken
}

// Dial connects to the compositor named by $WAYLAND_DISPLAY: a socket
// path, absolute or relative to $XDG_RUNTIME_DIR.
func Dial() (*Conn, error) {
	name := os.Getenv("WAYLAND_DISPLAY")
	if name == "" {
		return nil, errors.New("WAYLAND_DISPLAY is not set")
	}
	if !filepath.IsAbs(name) {
		dir := os.Getenv("XDG_RUNTIME_DIR")
		if dir == "" {
			return nil, errors.New("XDG_RUNTIME_DIR is not set")
		}
		name = filepath.Join(dir, name)
	}
	uc, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: name, Net: "unix"})
	if err != nil {
		return nil, err
	}
	return &Conn{uc: uc, next: 2}, nil
}

// Close closes the connection; the compositor then destroys every object
// of this client.
func (c *Conn) Close() error { return c.uc.Close() }

// NewID allocates a client object id.
func (c *Conn) NewID() uint32 {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	id := c.next
	c.next++
	return id
}

// Send writes one request: object, opcode and arguments, each a uint32
// (uint, int, object, new_id) or a string.
func (c *Conn) Send(object uint32, opcode uint16, args ...any) error {
	b, err := Encode(object, opcode, args...)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err = c.uc.Write(b)
	return err
}

// Encode builds one message. A string may not hold a NUL byte.
func Encode(object uint32, opcode uint16, args ...any) ([]byte, error) {
	b := make([]byte, 8, 64)
	for _, a := range args {
		switch v := a.(type) {
		case uint32:
			b = binary.NativeEndian.AppendUint32(b, v)
		case string:
			for i := 0; i < len(v); i++ {
				if v[i] == 0 {
					return nil, fmt.Errorf("wlwire: a string argument holds a NUL byte")
				}
			}
			b = binary.NativeEndian.AppendUint32(b, uint32(len(v)+1))
			b = append(b, v...)
			b = append(b, make([]byte, 4-len(v)%4)...) // the NUL and padding
		default:
			return nil, fmt.Errorf("wlwire: argument of type %T", a)
		}
	}
	if len(b) > maxMessage {
		return nil, fmt.Errorf("wlwire: a message of %d bytes is too long", len(b))
	}
	binary.NativeEndian.PutUint32(b[0:], object)
	binary.NativeEndian.PutUint32(b[4:], uint32(len(b))<<16|uint32(opcode))
	return b, nil
}

// ReadEvent blocks until the next event has arrived whole.
func (c *Conn) ReadEvent() (Event, error) {
	for {
		ev, n, err := Decode(c.buf)
		if err != nil {
			return Event{}, err
		}
		if n > 0 {
			// Copy out: c.buf is reused by the next read.
			ev.Args = append([]byte(nil), ev.Args...)
			c.buf = c.buf[n:]
			return ev, nil
		}
		if err := c.fill(); err != nil {
			return Event{}, err
		}
	}
}

// fill reads more bytes and any file descriptors sent with them.
func (c *Conn) fill() error {
	b := make([]byte, maxMessage)
	oob := make([]byte, unix.CmsgSpace(28*4)) // libwayland sends at most 28 fds at once
	n, oobn, _, _, err := c.uc.ReadMsgUnix(b, oob)
	if oobn > 0 {
		if msgs, perr := unix.ParseSocketControlMessage(oob[:oobn]); perr == nil {
			for _, m := range msgs {
				if fds, err := unix.ParseUnixRights(&m); err == nil {
					c.fds = append(c.fds, fds...)
				}
			}
		}
	}
	if n > 0 {
		c.buf = append(c.buf, b[:n]...)
		return nil
	}
	if err == nil {
		err = errors.New("the compositor closed the connection")
	}
	return err
}

// TakeFD returns the oldest file descriptor received and not yet taken:
// the one sent with the event just read whose signature has an fd.
func (c *Conn) TakeFD() (int, error) {
	if len(c.fds) == 0 {
		return -1, fmt.Errorf("%w: an event without its file descriptor", ErrMessage)
	}
	fd := c.fds[0]
	c.fds = c.fds[1:]
	return fd, nil
}

// Decode reads one message from the front of b. It returns n = 0 (and no
// error) while b holds less than a whole message.
func Decode(b []byte) (ev Event, n int, err error) {
	if len(b) < 8 {
		return Event{}, 0, nil
	}
	obj := binary.NativeEndian.Uint32(b)
	w := binary.NativeEndian.Uint32(b[4:])
	size := int(w >> 16)
	if size < 8 || size%4 != 0 {
		return Event{}, 0, fmt.Errorf("%w: size %d", ErrMessage, size)
	}
	if len(b) < size {
		return Event{}, 0, nil
	}
	return Event{Object: obj, Opcode: uint16(w), Args: b[8:size]}, size, nil
}

// Args reads the arguments of an event in order.
type Args struct{ b []byte }

// NewArgs reads the arguments of ev.
func NewArgs(ev Event) *Args { return &Args{b: ev.Args} }

// Uint reads a uint, int, object or new_id argument.
func (a *Args) Uint() (uint32, error) {
	if len(a.b) < 4 {
		return 0, fmt.Errorf("%w: an argument is missing", ErrMessage)
	}
	v := binary.NativeEndian.Uint32(a.b)
	a.b = a.b[4:]
	return v, nil
}

// String reads a string argument; a null string reads as "".
func (a *Args) String() (string, error) {
	n, err := a.Uint()
	if err != nil {
		return "", err
	}
	if n == 0 {
		return "", nil
	}
	padded := (int64(n) + 3) &^ 3
	if padded > int64(len(a.b)) {
		return "", fmt.Errorf("%w: a string of %d bytes in %d", ErrMessage, n, len(a.b))
	}
	s := a.b[:n]
	if s[n-1] != 0 {
		return "", fmt.Errorf("%w: a string without its NUL", ErrMessage)
	}
	a.b = a.b[padded:]
	return string(s[:n-1]), nil
}
