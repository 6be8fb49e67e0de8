package tray

import (
	"errors"
	"fmt"
	"os/exec"
)

// SystemOpener is the real [Opener]: the system's URL handler
// (openArgv in the platform files).
type SystemOpener struct{}

// Open starts the handler for url and does not wait for the app it opens.
func (SystemOpener) Open(url string) error {
	argv := openArgv(url)
	if argv == nil {
		return errors.New("opening urls is not supported on this system")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("running %s: %w", argv[0], err)
	}
	go cmd.Wait() // reap it; the opened app lives on
	return nil
}
