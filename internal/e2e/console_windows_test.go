package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

// TestWindowsExecConsoleEvent: `anykey exec NAME -- CMD` typed in a console
// window, then Ctrl-C pressed there. Windows hands the event to every
// process on the console: the command gets it once, and anykey, which
// attached to the console (cli/console_windows.go), must outlive it and
// exit with the command's status.
//
// The console is a window of its own (CREATE_NEW_CONSOLE) held by this
// test binary as TestWindowsConsoleHolder, which starts anykey as a shell
// does, with no standard handles, so that anykey attaches to it. Ctrl-C
// comes from GenerateConsoleCtrlEvent on Windows; under Wine, whose
// GenerateConsoleCtrlEvent fails there ("Invalid handle"), it is typed
// into the console window (SendInput), as a user would.
func TestWindowsExecConsoleEvent(t *testing.T) {
	s, fake := winSandbox(t)
	name := s.name("console")
	if r, _ := s.pair(fake, name); r.code != 0 {
		t.Fatalf("pair:\n%s", r)
	}
	sum := sha256.Sum256([]byte(fake.Keys()[len(fake.Keys())-1]))
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command(self, "-test.run=^TestWindowsConsoleHolder$")
	cmd.Env = s.env
	for _, kv := range []string{childEnv + "=holder", "ANYKEY_E2E_WANT=" + hex.EncodeToString(sum[:]), "ANYKEY_E2E_DIR=" + dir,
		"ANYKEY_E2E_HOLD=" + bin, "ANYKEY_E2E_NAME=" + name} {
		k, v, _ := strings.Cut(kv, "=")
		cmd.Env = withEnv(cmd.Env, k, v)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NEW_CONSOLE}
	out, err := cmd.CombinedOutput()
	log, _ := os.ReadFile(filepath.Join(dir, "holder.log"))
	events, _ := os.ReadFile(filepath.Join(dir, "events"))
	if err != nil || !strings.Contains(string(log), "anykey exited 3\n") || string(events) != "interrupt\n" {
		t.Errorf("after one Ctrl-C in the console: the command saw %q (want one interrupt); the console's log (want anykey exited 3, the command's status; 4: no event came, 9: no key):\n%s\nholder: %v %s",
			events, log, err, out)
	}
}

// TestWindowsConsoleHolder is the console window of
// TestWindowsExecConsoleEvent, not a test.
func TestWindowsConsoleHolder(t *testing.T) {
	if os.Getenv(childEnv) != "holder" {
		t.Skip("the console of TestWindowsExecConsoleEvent")
	}
	dir := os.Getenv("ANYKEY_E2E_DIR")
	logf, err := os.Create(filepath.Join(dir, "holder.log"))
	if err != nil {
		os.Exit(2)
	}
	defer logf.Close()
	logf.WriteString(holdConsole(dir))
}

var (
	procSetFg     = user32.NewProc("SetForegroundWindow")
	procSendInput = user32.NewProc("SendInput")
)

// keyInput is user32's INPUT holding a KEYBDINPUT (40 bytes on amd64).
type keyInput struct {
	typ   uint32
	_     uint32
	vk    uint16
	scan  uint16
	flags uint32
	time  uint32
	extra uintptr
	_     [8]byte
}

// holdConsole runs anykey exec in this console and presses Ctrl-C once
// the command waits; it returns its log.
func holdConsole(dir string) string {
	var log strings.Builder
	// The event reaches this process too.
	signal.Notify(make(chan os.Signal, 4), os.Interrupt)
	self, _ := os.Executable()
	os.Setenv(childEnv, "wait") // anykey and its command inherit it
	line := windows.ComposeCommandLine([]string{os.Getenv("ANYKEY_E2E_HOLD"), "exec", os.Getenv("ANYKEY_E2E_NAME"), "--", self, "-test.run=^TestWindowsExecChild$"})
	l16, _ := windows.UTF16PtrFromString(line)
	si := &windows.StartupInfo{Cb: uint32(unsafe.Sizeof(windows.StartupInfo{}))}
	var pi windows.ProcessInformation
	// No handles, no STARTF_USESTDHANDLES: anykey gets none, as from a
	// shell's prompt, and attaches to this console.
	if err := windows.CreateProcess(nil, l16, nil, nil, false, 0, nil, nil, si, &pi); err != nil {
		return fmt.Sprintf("CreateProcess: %v\n", err)
	}
	defer windows.CloseHandle(pi.Process)
	windows.CloseHandle(pi.Thread)
	for end := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "waiting")); err == nil {
			break
		}
		if time.Now().After(end) {
			log.WriteString("the command never said it waits\n")
			break
		}
	}
	if !desktoptest.Wine() {
		if err := windows.GenerateConsoleCtrlEvent(windows.CTRL_C_EVENT, 0); err != nil {
			fmt.Fprintf(&log, "GenerateConsoleCtrlEvent: %v\n", err)
		}
	} else {
		wnd, _, _ := procGetConsoleWindow.Call()
		procSetFg.Call(wnd)
		const vkControl, keyUp = 0x11, 0x2
		in := []keyInput{{typ: 1, vk: vkControl}, {typ: 1, vk: 'C'}, {typ: 1, vk: 'C', flags: keyUp}, {typ: 1, vk: vkControl, flags: keyUp}}
		if n, _, err := procSendInput.Call(uintptr(len(in)), uintptr(unsafe.Pointer(&in[0])), unsafe.Sizeof(in[0])); n != uintptr(len(in)) {
			fmt.Fprintf(&log, "SendInput: %v\n", err)
		}
	}
	if ev, err := windows.WaitForSingleObject(pi.Process, 60000); ev != windows.WAIT_OBJECT_0 {
		windows.TerminateProcess(pi.Process, 1)
		fmt.Fprintf(&log, "anykey did not end within 60 s: %v\n", err)
		return log.String()
	}
	var code uint32
	windows.GetExitCodeProcess(pi.Process, &code)
	fmt.Fprintf(&log, "anykey exited %d\n", code)
	return log.String()
}
