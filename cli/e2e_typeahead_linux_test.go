package cli

// A key typed or pasted ahead of add's prompt, through a real
// pseudo-terminal: the terminal echoes whatever arrives while ECHO is on,
// read or not, so add must turn echo off before it does anything else.

import (
	"fmt"
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

// aheadKey is a well-formed key (44 base64 characters), saved with
// --no-verify.
const aheadKey = "VFlQRUQtQUhFQUQtb2YtdGhlLXByb21wdC00NzExLTA5MTI="

func waitExit(t *testing.T, done chan error, p *os.Process, limit time.Duration) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(limit):
		p.Kill()
		t.Fatalf("anykey did not end within %v", limit)
	}
}

// setEcho turns the terminal's ECHO flag on or off, as a shell does: bash's
// readline reads the command line with ECHO off and turns it on again
// just before it starts the command.
func setEcho(t *testing.T, tty *os.File, on bool) {
	t.Helper()
	st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if on {
		st.Lflag |= unix.ECHO
	} else {
		st.Lflag &^= unix.ECHO
	}
	if err := unix.IoctlSetTermios(int(tty.Fd()), unix.TCSETS, st); err != nil {
		t.Fatal(err)
	}
}

// typeAhead types the key and Enter while the shell reads its command line
// (echo off), and waits until the terminal holds them; then the shell
// turns echo on and starts the command. The wait matters: a pty passes
// input to its line discipline from a kernel work queue, so input written
// just before echo goes on could still be echoed.
func typeAhead(t *testing.T, master, tty *os.File) {
	t.Helper()
	setEcho(t, tty, false)
	master.Write([]byte(aheadKey + "\r"))
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		n, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCINQ)
		if err != nil {
			t.Fatal(err)
		}
		if n == len(aheadKey)+1 {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("the terminal holds %d bytes typed ahead, want %d", n, len(aheadKey)+1)
		}
	}
	setEcho(t, tty, true)
}

// openPty opens a pty whose line discipline holds input typed ahead.
func openPty(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close(); tty.Close() })
	return master, tty
}

// startOn runs anykey args with tty as its controlling terminal.
func startOn(t *testing.T, e *e2e, tty *os.File, args ...string) (done chan error, p *os.Process) {
	t.Helper()
	cmd := e.command(t.Context(), args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done = make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return done, cmd.Process
}

// TestE2EAddTypeAhead drives add through a real pty with the key typed
// ahead, and checks that nothing of it is echoed and that it is saved
// whole:
//   - typed ahead of anykey's start, as a paste in one burst with the
//     command line ("anykey add NAME⏎KEY⏎") arrives; and
//   - pasted while anykey starts, as soon as it has set up the terminal;
//     at that point the prompt may not be up yet.
//
// Echo must be off before the prompt is shown: the first byte anykey
// writes to the terminal finds ECHO already off.
func TestE2EAddTypeAhead(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	t.Run("ahead of the start", func(t *testing.T) {
		master, tty := openPty(t)
		name := e.name("burst")
		typeAhead(t, master, tty)
		done, p := startOn(t, e, tty, "add", "--no-verify", name)
		// The first output is the prompt; echo must be off by then.
		first := make([]byte, 256)
		n, err := master.Read(first)
		if err != nil {
			t.Fatal(err)
		}
		st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if st.Lflag&unix.ECHO != 0 {
			t.Errorf("anykey wrote %q with echo still on", first[:n])
		}
		var out desktoptest.SyncBuffer
		out.Write(first[:n])
		go io.Copy(&out, master)
		waitExit(t, done, p, 20*time.Second)
		time.Sleep(100 * time.Millisecond) // the last output
		if strings.Contains(out.String(), aheadKey) {
			t.Errorf("the terminal echoed the key typed ahead: %q", out.String())
		}
		if r := e.run(nil, "get", name); r.code != 0 || strings.TrimSpace(r.stdout) != aheadKey {
			t.Errorf("get after add: exit %d, %d bytes; want the key typed ahead\n%s", r.code, len(r.stdout), out.String())
		}
	})
	t.Run("pasted while it starts", func(t *testing.T) {
		master, tty := openPty(t)
		name := e.name("paste")
		done, p := startOn(t, e, tty, "add", "--no-verify", name)
		var out desktoptest.SyncBuffer
		go io.Copy(&out, master)
		for end := time.Now().Add(10 * time.Second); ; {
			st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if st.Lflag&unix.ECHO == 0 {
				break
			}
			if time.Now().After(end) {
				p.Kill()
				t.Fatal("echo never went off")
			}
		}
		master.Write([]byte(aheadKey + "\r"))
		waitExit(t, done, p, 20*time.Second)
		time.Sleep(100 * time.Millisecond)
		if strings.Contains(out.String(), aheadKey) {
			t.Errorf("the terminal echoed the key: %q", out.String())
		}
		if r := e.run(nil, "get", name); r.code != 0 || strings.TrimSpace(r.stdout) != aheadKey {
			t.Errorf("get after add: exit %d, %d bytes; want the key pasted\n%s", r.code, len(r.stdout), out.String())
		}
	})
}

// TestE2EAddTypeAheadDiscarded: when add fails before it reads the key
// (here: the name is taken), the key typed ahead is dropped, not left in
// the terminal for the shell to read, echo and keep in its history; and
// the terminal's flags are as anykey found them.
func TestE2EAddTypeAheadDiscarded(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	name := e.name("taken")
	if r := e.run(strings.NewReader(aheadKey+"\n"), "add", "--no-verify", name); r.code != 0 {
		t.Fatalf("add: %d %s", r.code, r.stderr)
	}
	master, tty := openPty(t)
	typeAhead(t, master, tty)
	done, p := startOn(t, e, tty, "add", "--no-verify", name)
	var out desktoptest.SyncBuffer
	go io.Copy(&out, master)
	waitExit(t, done, p, 20*time.Second)
	time.Sleep(100 * time.Millisecond)
	if !strings.Contains(out.String(), "already") {
		t.Errorf("add over a taken name: %q", out.String())
	}
	if n, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCINQ); err != nil || n != 0 {
		t.Errorf("%d bytes typed ahead are left for the shell to read (%v)", n, err)
	}
	st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if st.Lflag&unix.ECHO == 0 {
		t.Errorf("echo still off after anykey ended")
	}
	if strings.Contains(out.String(), aheadKey) {
		t.Errorf("the terminal echoed the key: %q", out.String())
	}
}

// TestE2EAddPastedLines: a paste at add's prompt is refused as a pipe's is
// when it holds more than one line that is not blank (nothing saved,
// nothing echoed), and none of it is left in the terminal for the shell
// to read, run and keep in its history; a key with blank lines after it
// is saved, and the blank lines are not left either.
func TestE2EAddPastedLines(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	const second = "login: me-the-second-line"
	for i, tc := range []struct {
		name, paste string
		saved       bool
		// then is the rest of the paste, arriving 30 ms later: a
		// terminal writes a long paste in pieces, and ssh passes it on
		// as its packets arrive.
		then string
	}{
		{"two lines", aheadKey + "\r" + second + "\r", false, ""},
		{"a last line without Enter", aheadKey + "\r" + second, false, ""},
		{"blank lines after the key", aheadKey + "\r\r \r", true, ""},
		{"two lines in two pieces", aheadKey + "\r", false, second + "\r"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			master, tty := openPty(t)
			name := e.name(fmt.Sprintf("pasted%d", i))
			done, p := startOn(t, e, tty, "add", "--no-verify", name)
			var out desktoptest.SyncBuffer
			go io.Copy(&out, master)
			for end := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "input hidden"); time.Sleep(10 * time.Millisecond) {
				if time.Now().After(end) {
					p.Kill()
					t.Fatalf("no prompt: %q", out.String())
				}
			}
			master.Write([]byte(tc.paste))
			if tc.then != "" {
				time.Sleep(30 * time.Millisecond)
				master.Write([]byte(tc.then))
			}
			waitExit(t, done, p, 20*time.Second)
			time.Sleep(100 * time.Millisecond) // the last output
			if n, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCINQ); err != nil || n != 0 {
				t.Errorf("%d bytes of the paste are left for the shell to read (%v)", n, err)
			}
			if strings.Contains(out.String(), aheadKey) || strings.Contains(out.String(), second) {
				t.Errorf("the terminal echoed the paste: %q", out.String())
			}
			r := e.run(nil, "get", name)
			if tc.saved {
				if r.code != 0 || strings.TrimSpace(r.stdout) != aheadKey {
					t.Errorf("get after add: exit %d, %d bytes; want the key\n%s", r.code, len(r.stdout), out.String())
				}
				return
			}
			if r.code == 0 {
				t.Errorf("a paste of two lines was saved")
			}
			if !strings.Contains(out.String(), "anykey: the paste held 2 lines that are not blank, and a key is one line; nothing was saved") {
				t.Errorf("output %q, want the refusal", out.String())
			}
		})
	}
}
