package keystore

// A synchronous Secret Service client for List's presence check.
//
// godbus costs ~2.4 ms per process before the first call (auth, Hello, a
// reader goroutine and the thread hand-offs to it; measured in the
// desktop session), half of `anykey list`'s 5 ms budget. This client does
// the same exchange on the calling goroutine with one write per batch of
// calls, and costs ~1.5 ms for connection plus SearchItems. It handles
// only unix-socket session buses and EXTERNAL auth; anything else is
// errRawBus and the caller uses godbus instead.

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// errRawBus marks a bus or an answer this client does not handle; the
// caller falls back to godbus, which knows every transport.
var errRawBus = errors.New("raw D-Bus client cannot use this bus")

// rawBusTimeout caps one raw exchange, so a fallback to godbus still has
// time within the caller's deadline (SearchItems and Properties.Get never
// prompt, so a healthy bus answers in milliseconds).
const rawBusTimeout = 5 * time.Second

// rawBus is one session bus connection, read only on the caller's
// goroutine.
type rawBus struct {
	conn   net.Conn
	r      *bufio.Reader
	serial uint32
	hello  bool // BEGIN and Hello still to be sent, with the first batch
}

// busSocket returns the unix socket of a D-Bus address: the first
// unix:path= or unix:abstract= entry of a ;-separated list (spec: "Server
// Addresses"). An abstract name is returned with Go's "@" prefix.
func busSocket(addr string) (string, error) {
	for _, a := range strings.Split(addr, ";") {
		transport, params, ok := strings.Cut(a, ":")
		if !ok || transport != "unix" {
			continue
		}
		for _, kv := range strings.Split(params, ",") {
			k, v, _ := strings.Cut(kv, "=")
			if k != "path" && k != "abstract" {
				continue
			}
			val, err := unescapeAddr(v)
			if err != nil || val == "" {
				return "", fmt.Errorf("%w: bad %s in %q", errRawBus, k, addr)
			}
			if k == "abstract" {
				val = "@" + val
			}
			return val, nil
		}
	}
	return "", fmt.Errorf("%w: no unix:path or unix:abstract in %q", errRawBus, addr)
}

// unescapeAddr undoes the %XX escaping of D-Bus address values.
func unescapeAddr(v string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '%' {
			b.WriteByte(v[i])
			continue
		}
		if i+2 >= len(v) {
			return "", errRawBus
		}
		x, err := hex.DecodeString(v[i+1 : i+3])
		if err != nil {
			return "", errRawBus
		}
		b.WriteByte(x[0])
		i += 2
	}
	return b.String(), nil
}

// dialRawBus connects to addr and authenticates as this uid. The deadline
// of ctx, capped at [rawBusTimeout], bounds every later read and write.
//
// It waits for the bus's OK before BEGIN: sending AUTH, BEGIN and the
// calls in one write saved no measurable time, and gnome-keyring then
// answered a few SearchItems in a thousand with UnknownMethod. (About one
// in 1500 still gets that answer when waiting; the caller's fallback to
// godbus covers it.)
func dialRawBus(ctx context.Context, addr string) (*rawBus, error) {
	path, err := busSocket(addr)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(rawBusTimeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	d := net.Dialer{Deadline: deadline}
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, fmt.Errorf("connecting to the session bus: %w", err)
	}
	if err := conn.SetDeadline(deadline); err != nil {
		conn.Close()
		return nil, fmt.Errorf("connecting to the session bus: %w", err)
	}
	uid := hex.EncodeToString([]byte(strconv.Itoa(os.Getuid())))
	if _, err := io.WriteString(conn, "\x00AUTH EXTERNAL "+uid+"\r\n"); err != nil {
		conn.Close()
		return nil, fmt.Errorf("authenticating to the session bus: %w", err)
	}
	r := bufio.NewReaderSize(conn, 64<<10)
	line, err := r.ReadString('\n')
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("authenticating to the session bus: %w", err)
	}
	if !strings.HasPrefix(line, "OK ") {
		conn.Close()
		return nil, fmt.Errorf("%w: EXTERNAL auth answered %q", errRawBus, strings.TrimSpace(line))
	}
	return &rawBus{conn: conn, r: r, hello: true}, nil
}

func (b *rawBus) Close() error { return b.conn.Close() }

// busReply is the answer to one call: a body, or the error the peer sent.
type busReply struct {
	sig  string
	body []any
	err  error
}

// busError is an ERROR message from a peer.
type busError struct {
	name string
	text string
}

func (e *busError) Error() string {
	if e.text == "" {
		return e.name
	}
	return e.name + ": " + e.text
}

// do sends calls in one write and reads until each has its reply. Signals
// (NameAcquired) and replies to other serials are skipped.
func (b *rawBus) do(calls []busCall) ([]busReply, error) {
	var out []byte
	hello := uint32(0)
	if b.hello {
		hello = b.next()
		out = append([]byte("BEGIN\r\n"), encodeCall(hello, busCall{
			dest: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
			iface: "org.freedesktop.DBus", member: "Hello"})...)
		b.hello = false
	}
	first := b.serial + 1
	for _, c := range calls {
		out = append(out, encodeCall(b.next(), c)...)
	}
	if _, err := b.conn.Write(out); err != nil {
		return nil, fmt.Errorf("writing to the session bus: %w", err)
	}
	replies := make([]busReply, len(calls))
	for left := len(calls); left > 0; {
		m, err := b.read()
		if err != nil {
			return nil, err
		}
		if m.typ != msgReturn && m.typ != msgError {
			continue
		}
		if m.typ == msgError && hello != 0 && m.replySerial == hello {
			return nil, fmt.Errorf("%w: Hello failed: %s", errRawBus, m.errName)
		}
		i := int64(m.replySerial) - int64(first)
		if i < 0 || i >= int64(len(calls)) || replies[i].body != nil || replies[i].err != nil {
			continue
		}
		if m.typ == msgError {
			e := &busError{name: m.errName}
			if len(m.body) > 0 {
				e.text, _ = m.body[0].(string)
			}
			replies[i].err = e
		} else {
			replies[i].sig, replies[i].body = m.sig, m.body
			if replies[i].body == nil {
				replies[i].body = []any{}
			}
		}
		left--
	}
	return replies, nil
}

func (b *rawBus) next() uint32 { b.serial++; return b.serial }

// send writes a call that expects no reply (c.noReply) and does not wait.
// Only after a do, which has sent Hello.
func (b *rawBus) send(c busCall) error {
	_, err := b.conn.Write(encodeCall(b.next(), c))
	return err
}

// read returns the next whole message from the bus.
func (b *rawBus) read() (*busMessage, error) {
	hdr, err := b.r.Peek(16)
	if err != nil {
		return nil, fmt.Errorf("reading from the session bus: %w", err)
	}
	n, err := messageLen(hdr)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errRawBus, err)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(b.r, buf); err != nil {
		return nil, fmt.Errorf("reading from the session bus: %w", err)
	}
	m, err := decodeMessage(buf)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errRawBus, err)
	}
	return m, nil
}

// rawSecrets is [secretsClient] over a rawBus.
type rawSecrets struct{ bus *rawBus }

func (s rawSecrets) search(_ context.Context, queries [][]string) ([][]string, error) {
	calls := make([]busCall, len(queries))
	for i, q := range queries {
		calls[i] = busCall{dest: ssName, path: ssPath, iface: ssService, member: "SearchItems",
			sig: "a{ss}", body: func(e *wireEncoder) { e.dictSS(q...) }}
	}
	replies, err := s.bus.do(calls)
	if err != nil {
		return nil, err
	}
	out := make([][]string, len(queries))
	for i, r := range replies {
		if r.err != nil {
			return nil, fmt.Errorf("searching the keychain: %w", r.err)
		}
		unlocked, ok1 := objectPaths(r.body, 0)
		locked, ok2 := objectPaths(r.body, 1)
		if r.sig != "aoao" || !ok1 || !ok2 {
			return nil, fmt.Errorf("%w: SearchItems answered %v", errRawBus, r.body)
		}
		out[i] = append(unlocked, locked...)
	}
	return out, nil
}

func (s rawSecrets) attributes(_ context.Context, paths []string) ([]map[string]string, []error, error) {
	calls := make([]busCall, len(paths))
	for i, p := range paths {
		calls[i] = busCall{dest: ssName, path: p, iface: "org.freedesktop.DBus.Properties",
			member: "Get", sig: "ss", body: func(e *wireEncoder) { e.str(ssItem); e.str("Attributes") }}
	}
	replies, err := s.bus.do(calls)
	if err != nil {
		return nil, nil, err
	}
	attrs := make([]map[string]string, len(paths))
	errs := make([]error, len(paths))
	for i, r := range replies {
		if r.err != nil {
			errs[i] = r.err
			continue
		}
		m, ok := stringDict(r.body)
		if r.sig != "v" || !ok {
			return nil, nil, fmt.Errorf("%w: Attributes of %s answered %v", errRawBus, paths[i], r.body)
		}
		attrs[i] = m
	}
	return attrs, errs, nil
}

// objectPaths reads body[i] as an ao.
func objectPaths(body []any, i int) ([]string, bool) {
	if i >= len(body) {
		return nil, false
	}
	elems, ok := body[i].([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(elems))
	for _, e := range elems {
		p, ok := e.(string)
		if !ok {
			return nil, false
		}
		out = append(out, p)
	}
	return out, true
}

// stringDict reads a one-value body holding a variant of a{ss}.
func stringDict(body []any) (map[string]string, bool) {
	if len(body) != 1 {
		return nil, false
	}
	v, ok := body[0].(busVariant)
	if !ok || v.sig != "a{ss}" {
		return nil, false
	}
	elems, _ := v.val.([]any)
	m := make(map[string]string, len(elems))
	for _, e := range elems {
		kv, _ := e.([]any)
		if len(kv) != 2 {
			return nil, false
		}
		k, ok1 := kv[0].(string)
		val, ok2 := kv[1].(string)
		if !ok1 || !ok2 {
			return nil, false
		}
		m[k] = val
	}
	return m, true
}
