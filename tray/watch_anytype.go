package tray

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/anykey-app/anykey/auth"
)

// Noticing Anytype stop without asking it every few seconds.
//
// A status probe costs about seven wake-ups of the tray (one TCP connect,
// one request, two waits, and the Go runtime's sysmon thread napping in
// 20 µs steps while any of that runs), so probing every 9 s alone cost
// 20-40 wake-ups per 30 s (docs/performance.md). While Anytype answers, the
// tray instead keeps one idle HTTP/1.1 keep-alive connection to it, the
// wire, and sleeps in a read on it: when Anytype stops, or its API server
// stops with the account, the kernel or the server closes the connection,
// the read returns at once and the tray probes. Anytype's server (Go's
// net/http) closes a kept-alive connection only when it has an idle
// timeout; it sets none, only a 5 s ReadHeaderTimeout, which net/http
// starts with the first byte of the next request (anytype-heart
// core/api/service.go), so the wire lasts as long as the server.
//
// The wire only wakes the tray: the status line still comes from
// auth.Client.Probe, and the wire's request, GET / with no body, has no
// side effect and carries nothing secret (no key, no app name). Once a
// minute the same request on the wire checks that Anytype still answers
// (a server that hangs keeps its connections open): cheaper than a probe,
// which connects again and reads the kernel's socket tables to check the
// port's owner (auth's listener check): about 65 wake-ups where those
// tables are long. The wire's own connect gets that check (auth.DialOwned),
// and a connection's peer cannot change while it is open; every answer on
// it is read under auth.MaxHeadSize plus maxWireBody bytes.
//
// A server that does not keep the connection open (Connection: close, an
// idle timeout shorter than wireMinLife) or does not answer GET / makes the
// tray probe every statusEvery instead, until Anytype is seen not running.

// Timing of the wire. Variables so tests can shorten them.
var (
	// wireRecheck is how often the wire asks whether Anytype still
	// answers: only a server that hangs without closing its connections
	// goes unnoticed meanwhile.
	wireRecheck = time.Minute
	// wireMinLife is how long a wire must have lasted to be trusted
	// again; a server that closes it sooner is probed every statusEvery.
	wireMinLife = 30 * time.Second
)

// errWireClosed: the server answered but will not keep the connection.
var errWireClosed = errors.New("the server closes idle connections")

// maxWireBody bounds an answer to GET / on the wire; Anytype's is a
// short 404 page.
const maxWireBody = 64 << 10

// wire is one idle keep-alive connection to Anytype's API. Its reader
// goroutine (read) owns the reading side.
type wire struct {
	conn    net.Conn
	budget  *budgetReader // bounds what one answer may read
	br      *bufio.Reader
	at      time.Time     // when it was opened
	asked   atomic.Bool   // a ping waits for an answer
	answers chan struct{} // buffered(1): one per asked answer; closed when the wire is down
}

// openWire connects to baseURL, sends GET / and reads the whole answer
// within wait. It returns the connection still open, or an error if the
// server did not answer or will close the connection. Start w.read
// before using the wire.
func openWire(ctx context.Context, baseURL string, wait time.Duration) (*wire, error) {
	dctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	// Loopback only, "localhost" never looked up, and the listener's owner
	// checked, like every request: the port may have changed hands since
	// the probe.
	conn, err := auth.DialOwned(dctx, baseURL)
	if err != nil {
		return nil, err
	}
	w := &wire{conn: conn, budget: &budgetReader{r: conn}, answers: make(chan struct{}, 1)}
	w.br = bufio.NewReader(w.budget)
	deadline, _ := dctx.Deadline()
	err = conn.SetDeadline(deadline)
	if err == nil {
		err = w.send()
	}
	if err == nil {
		err = w.readAnswer()
	}
	if err == nil {
		err = conn.SetDeadline(time.Time{})
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	w.at = time.Now()
	return w, nil
}

// send writes GET / on the wire.
func (w *wire) send() error {
	req, err := http.NewRequest(http.MethodGet, "http://"+w.conn.RemoteAddr().String()+"/", nil)
	if err != nil {
		return err
	}
	return req.Write(w.conn)
}

// readAnswer reads one whole answer, so the connection is idle again; a
// long one is not what Anytype says to GET / and not worth keeping.
func (w *wire) readAnswer() error {
	// A server that streams an endless head or body runs out of budget
	// (auth.MaxHeadSize for the head, as every answer anykey reads) and
	// the wire goes down, instead of the tray's memory growing.
	w.budget.left = auth.MaxHeadSize + maxWireBody
	resp, err := http.ReadResponse(w.br, nil)
	if err != nil {
		return err
	}
	n, err := io.Copy(io.Discard, io.LimitReader(resp.Body, maxWireBody))
	resp.Body.Close()
	switch {
	case err != nil:
		return err
	case n == maxWireBody || resp.Close:
		return errWireClosed
	}
	return nil
}

// read reads answers until the wire is down — the server closed it, sent
// something that is not an answer, or an answer nobody asked for — then
// closes the connection and answers.
func (w *wire) read() {
	defer close(w.answers)
	defer w.conn.Close()
	for w.readAnswer() == nil && w.asked.CompareAndSwap(true, false) {
		w.answers <- struct{}{}
	}
}

// ping asks again and waits up to wait for the answer. False means the
// wire is down or the server did not answer in time.
func (w *wire) ping(wait time.Duration) bool {
	w.asked.Store(true)
	if w.send() != nil {
		return false
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case _, ok := <-w.answers:
		return ok
	case <-t.C:
		return false
	}
}

// errWireTooLong: an answer on the wire passed its byte budget.
var errWireTooLong = errors.New("answer too long")

// budgetReader reads from r until left bytes were read, then fails with
// errWireTooLong.
type budgetReader struct {
	r    io.Reader
	left int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errWireTooLong
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// close ends the wire from our side; read returns.
func (w *wire) close() { w.conn.Close() }
