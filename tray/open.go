package tray

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"time"
)

// openWait is how long Open waits for the URL handler's launcher to say it
// failed. xdg-open, open and rundll32 hand the URL on and exit at once, or
// fail at once (xdg-open's exit status 3: no program for the scheme); one
// that is still running after this is opening the app.
const openWait = 3 * time.Second

// ErrNoHandler: no program is registered for the URL's scheme (xdg-open
// exit status 3, macOS open exit status 1).
var ErrNoHandler = errors.New("no program is registered to open it")

// SystemOpener is the real [Opener]: the system's URL handler
// (openArgv in the platform files).
type SystemOpener struct {
	argv func(url string) []string // test hook; nil is openArgv
}

// Open starts the handler for url and waits up to openWait for it to fail;
// it does not wait for the app it opens. The error wraps [ErrNoHandler]
// when nothing handles url's scheme.
func (o SystemOpener) Open(url string) error {
	argvOf := o.argv
	if argvOf == nil {
		argvOf = openArgv
	}
	argv := argvOf(url)
	if argv == nil {
		return errors.New("opening urls is not supported on this system")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("running %s: %w", argv[0], err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }() // reaps it, however long the app lives
	t := time.NewTimer(openWait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil // still handing over: the app is starting
	case err := <-done:
		var ee *exec.ExitError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &ee) && noHandlerStatus(argv[0], ee.ExitCode()):
			return fmt.Errorf("%s %s: %w (exit status %d)", argv[0], url, ErrNoHandler, ee.ExitCode())
		}
		return fmt.Errorf("%s %s: %w", argv[0], url, err)
	}
}

// noHandlerStatus reports whether a launcher's exit status means no
// program handles the scheme: xdg-open's 3 ("a required tool could not
// be found", xdg-utils), macOS open's 1.
func noHandlerStatus(launcher string, status int) bool {
	name := filepath.Base(launcher)
	return name == "xdg-open" && status == 3 || name == "open" && status == 1
}
