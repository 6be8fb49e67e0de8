// Package mask hides secrets in a byte stream: a [Writer] passes everything
// through except each occurrence of a secret, which it replaces with a fixed
// mask, also when the secret arrives split across several writes. `anykey
// exec --mask` puts it between an MCP server's stderr and the MCP client,
// which keeps server stderr in its log files.
//
// Start with [NewWriter].
package mask

import (
	"bytes"
	"io"
	"sync"
)

// Mask is what replaces a secret.
const Mask = "<masked by anykey>"

// Writer replaces every occurrence of its secrets in the bytes written to it
// before they reach the underlying writer. To catch a secret split across
// writes it holds back a tail that could be the start of a secret (at most
// the longest secret's length minus one byte) until the next write shows
// what follows, or [Writer.Close] flushes it. Bytes that cannot start a
// secret are passed on at once, so a line ending in "\n" is never delayed.
//
// A Writer is safe for concurrent use. Its Write reports len(p) on success,
// however many bytes the masking changed.
type Writer struct {
	mu      sync.Mutex
	w       io.Writer
	secrets [][]byte
	pending []byte
	err     error
}

// NewWriter returns a Writer to w that masks each of secrets. Empty secrets
// are ignored; with none left the Writer passes everything through.
func NewWriter(w io.Writer, secrets ...string) *Writer {
	mw := &Writer{w: w}
	for _, s := range secrets {
		if s != "" {
			mw.secrets = append(mw.secrets, []byte(s))
		}
	}
	return mw
}

// Write masks p (together with any tail held back from earlier writes) and
// writes what is settled to the underlying writer. It returns the first
// error of the underlying writer, then keeps returning it.
func (m *Writer) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return 0, m.err
	}
	buf := append(m.pending, p...)
	out, rest := m.mask(buf, false)
	// rest aliases buf: copy it out before buf's array is reused.
	m.pending = append(m.pending[:0:0], rest...)
	if len(out) > 0 {
		if _, err := m.w.Write(out); err != nil {
			m.err = err
			return 0, err
		}
	}
	return len(p), nil
}

// Close writes the held-back tail, masked, to the underlying writer. It does
// not close the underlying writer. Writes after Close are passed on with the
// same masking.
func (m *Writer) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return m.err
	}
	out, _ := m.mask(m.pending, true)
	m.pending = nil
	if len(out) > 0 {
		if _, err := m.w.Write(out); err != nil {
			m.err = err
			return err
		}
	}
	return nil
}

// mask returns buf with every complete secret replaced, and, unless final,
// the tail of buf that could still grow into a secret (held back).
func (m *Writer) mask(buf []byte, final bool) (out, rest []byte) {
	if len(m.secrets) == 0 {
		return buf, nil
	}
	var b bytes.Buffer
	i := 0
	for i < len(buf) {
		if s := m.matchAt(buf[i:]); s != nil {
			b.WriteString(Mask)
			i += len(s)
			continue
		}
		if !final && m.couldStart(buf[i:]) {
			break
		}
		b.WriteByte(buf[i])
		i++
	}
	return b.Bytes(), buf[i:]
}

// matchAt returns the longest secret buf starts with, or nil.
func (m *Writer) matchAt(buf []byte) []byte {
	var best []byte
	for _, s := range m.secrets {
		if len(s) > len(best) && bytes.HasPrefix(buf, s) {
			best = s
		}
	}
	return best
}

// couldStart reports whether all of buf (shorter than some secret) is the
// start of a secret, so the next write may complete it.
func (m *Writer) couldStart(buf []byte) bool {
	for _, s := range m.secrets {
		if len(buf) < len(s) && bytes.HasPrefix(s, buf) {
			return true
		}
	}
	return false
}
