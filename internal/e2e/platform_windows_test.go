package e2e

import (
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"unsafe"

	"github.com/danieljoos/wincred"
	"golang.org/x/sys/windows"

	"github.com/anykey-app/anykey/keystore"
)

// ownGroup starts cmd as a new console process group: a console event the
// test sends to that group reaches anykey and its command, not the test.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// killGroup kills cmd's process; exec's job object ends its command.
func killGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

// clearKeychain removes names from the Credential Manager, where
// go-keyring keeps them as "SERVICE:NAME", SERVICE being the end-to-end
// build's keystore.TestService (the sandbox's names only: random, made by
// sandbox.name).
func clearKeychain(names []string) {
	for _, n := range names {
		if c, err := wincred.GetGenericCredential(keystore.TestService + ":" + n); err == nil && c != nil {
			c.Delete()
		}
	}
}

var (
	user32                       = windows.NewLazySystemDLL("user32.dll")
	kernel32                     = windows.NewLazySystemDLL("kernel32.dll")
	procOpenClipboard            = user32.NewProc("OpenClipboard")
	procCloseClipboard           = user32.NewProc("CloseClipboard")
	procGetClipboardData         = user32.NewProc("GetClipboardData")
	procFindWindowExW            = user32.NewProc("FindWindowExW")
	procGetWindowThreadProcessId = user32.NewProc("GetWindowThreadProcessId")
	procGetConsoleWindow         = kernel32.NewProc("GetConsoleWindow")
	procAllocConsole             = kernel32.NewProc("AllocConsole")
	procGlobalLock               = kernel32.NewProc("GlobalLock")
	procGlobalUnlock             = kernel32.NewProc("GlobalUnlock")
)

const cfUnicodeText = 13

// readClipboard returns the clipboard's text (CF_UNICODETEXT), "" when it
// holds none. The clipboard may be busy a moment (a copy in progress):
// opening is retried for 2 s.
func readClipboard(t *testing.T) string {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var opened bool
	for i := 0; i < 40 && !opened; i++ {
		r, _, _ := procOpenClipboard.Call(0)
		if opened = r != 0; !opened {
			windows.SleepEx(50, false)
		}
	}
	if !opened {
		t.Fatal("the clipboard stays open by someone else")
	}
	defer procCloseClipboard.Call()
	h, _, _ := procGetClipboardData.Call(cfUnicodeText)
	if h == 0 {
		return ""
	}
	p, _, _ := procGlobalLock.Call(h)
	if p == 0 {
		return ""
	}
	defer procGlobalUnlock.Call(h)
	// GlobalLock's answer is a pointer the API hands back as a number;
	// Wine's GlobalSize says 0 for a block another process put there, so
	// read up to the NUL. Reinterpreting the variable (not converting the
	// uintptr) keeps go vet's unsafeptr rule.
	return windows.UTF16PtrToString((*uint16)(*(*unsafe.Pointer)(unsafe.Pointer(&p))))
}

// trayWindow returns the window of class SystrayClass (fyne.io/systray's
// notification-area window) owned by process pid, or 0.
func trayWindow(pid uint32) windows.HWND {
	class, _ := windows.UTF16PtrFromString("SystrayClass")
	var after uintptr
	for {
		h, _, _ := procFindWindowExW.Call(0, after, uintptr(unsafe.Pointer(class)), 0)
		if h == 0 {
			return 0
		}
		var owner uint32
		procGetWindowThreadProcessId.Call(h, uintptr(unsafe.Pointer(&owner)))
		if owner == pid {
			return windows.HWND(h)
		}
		after = h
	}
}
