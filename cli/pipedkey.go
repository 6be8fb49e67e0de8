package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/anykey-app/anykey/pairing"
)

// errManyLines: what add read holds more than one line that is not
// blank, and so no one key. Lines says how many; Pasted, that they came
// at the terminal's prompt rather than through a pipe.
type errManyLines struct {
	Lines  int
	Pasted bool
}

func (e *errManyLines) Error() string {
	what := "stdin holds"
	if e.Pasted {
		what = "the paste held"
	}
	return fmt.Sprintf("%s %d lines that are not blank, and a key is one line", what, e.Lines)
}

// errStdinTooMuch: more than [maxLineLen] bytes were piped into add, with
// or without line ends (yes KEY | anykey add NAME).
var errStdinTooMuch = errors.New("stdin holds more than 64 KiB, and a key is one short line")

// readPipedKey reads the key piped into add: all of stdin to its end (as
// docker login --password-stdin and gh auth login --with-token read
// theirs), at most [maxLineLen] bytes, so that a second line is refused
// rather than silently dropped. Blank lines and the line ending around
// the key are fine (echo's newline, a file's last newline, CRLF); more
// than one line that is not blank is an [errManyLines], without a byte
// of what they hold. End of input before any key is "" (no key given).
// ctx ends the wait: pairing.ErrCanceled.
func readPipedKey(ctx context.Context, r io.Reader) (string, error) {
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(io.LimitReader(r, maxLineLen+1))
		ch <- result{b, err}
	}()
	var res result
	select {
	case <-ctx.Done():
		return "", pairing.ErrCanceled
	case res = <-ch:
	}
	defer clear(res.b)
	if res.err != nil {
		return "", fmt.Errorf("reading stdin: %w", res.err)
	}
	if len(res.b) > maxLineLen {
		return "", errStdinTooMuch
	}
	// A line ends at LF, CRLF or a lone CR (a classic Mac file), as the
	// terminal's paste is counted (pendingLines): no key holds a CR.
	var key string
	n := 0
	for _, line := range strings.FieldsFunc(string(res.b), func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		n++
		key = line
	}
	if n > 1 {
		return "", &errManyLines{Lines: n}
	}
	return key, nil
}
