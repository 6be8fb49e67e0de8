package cli

// The hidden prompt of add, in a real pseudo-terminal: a signal ends it at
// once and echo comes back on every way out.

import (
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

const typedKey = "typed-key-must-not-echo-4711"

func TestE2EHiddenPromptSignals(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	for _, tc := range []struct {
		name string
		send func(master *os.File, p *os.Process)
	}{
		{"ctrl-c", func(m *os.File, _ *os.Process) { m.Write([]byte{0x03}) }},
		{"ctrl-backslash (SIGQUIT)", func(m *os.File, _ *os.Process) { m.Write([]byte{0x1c}) }},
		{"SIGTERM", func(_ *os.File, p *os.Process) { p.Signal(syscall.SIGTERM) }},
		{"SIGHUP", func(_ *os.File, p *os.Process) { p.Signal(syscall.SIGHUP) }},
		{"ctrl-d", func(m *os.File, _ *os.Process) { m.Write([]byte{0x04}) }},
		// A typed key (the fake Anytype rejects it, exit 1) is not echoed.
		{"typed key", func(m *os.File, _ *os.Process) { m.Write([]byte(typedKey + "\r")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			master, tty, err := pty.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer master.Close()
			defer tty.Close()
			cmd := e.command(t.Context(), "add", e.name("prompt"))
			cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
			cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			// Everything the terminal shows, read in the background: a
			// pty master may ignore read deadlines.
			var out desktoptest.SyncBuffer
			go io.Copy(&out, master)
			for deadline := time.Now().Add(15 * time.Second); !strings.Contains(out.String(), "input hidden"); time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("no prompt; output %q", out.String())
				}
			}
			// Echo is off while the prompt waits.
			waitEcho(t, tty, false)
			tc.send(master, cmd.Process)
			start := time.Now()
			select {
			case <-done:
			case <-time.After(3 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("the prompt did not end within 3 s")
			}
			if code := cmd.ProcessState.ExitCode(); code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			time.Sleep(100 * time.Millisecond) // the last output
			if strings.Contains(out.String(), typedKey) {
				t.Errorf("the terminal echoed the key: %q", out.String())
			}
			st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if st.Lflag&unix.ECHO == 0 {
				t.Errorf("echo still off after %s", tc.name)
			}
			t.Logf("%s: ended after %v with echo back on", tc.name, time.Since(start).Round(time.Millisecond))
		})
	}
}

// waitEcho waits until the terminal's ECHO flag is on (or off).
func waitEcho(t *testing.T, tty *os.File, on bool) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if (st.Lflag&unix.ECHO != 0) == on {
			return
		}
	}
	t.Fatalf("echo never turned %v", on)
}
