package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/anykey-app/anykey/pairing"
	"golang.org/x/term"
)

// readHiddenLine reads one line from the terminal f with echo off. Ctrl-C
// (SIGINT), SIGTERM, SIGHUP and SIGQUIT end it at once, and on every way
// out the terminal gets back the state it had before, echo included: a
// signal's default action would kill the process with echo still off, so
// the prompt catches them for as long as it runs.
func readHiddenLine(ctx context.Context, f *os.File) (string, error) {
	fd := int(f.Fd())
	saved, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	defer term.Restore(fd, saved) // also after a panic
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sigs)
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		// The reader stays blocked after a signal; the process ends soon.
		line, err := readNoEcho(f)
		done <- result{line, err}
	}()
	select {
	case r := <-done:
		if errors.Is(r.err, io.EOF) && r.line == "" {
			return "", pairing.ErrCanceled // Ctrl-D at an empty prompt
		}
		return r.line, r.err
	case <-sigs:
		return "", pairing.ErrCanceled
	case <-ctx.Done():
		return "", pairing.ErrCanceled
	}
}
