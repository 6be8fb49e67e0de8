package clip

import (
	"errors"
	"fmt"
	"runtime"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows the clipboard is written here, in one OpenClipboard, with
// the text as CF_UNICODETEXT and the three registered formats that keep
// it out of clipboard history and monitors (Microsoft Learn, "Clipboard
// Formats", Cloud Clipboard and Clipboard History Formats):
//   - ExcludeClipboardContentFromMonitorProcessing (any data): clipboard
//     monitors and history skip the copy;
//   - CanIncludeInClipboardHistory = DWORD 0: not in Win+V history;
//   - CanUploadToCloudClipboard = DWORD 0: not synced to other devices.
//
// atotto/clipboard writes CF_UNICODETEXT only.
func init() { writeAll = writeMarked }

// WindowsFormats are the registered clipboard formats offered beside
// CF_UNICODETEXT, with the DWORD each holds.
var WindowsFormats = []struct {
	Name  string
	Value uint32
}{
	{"ExcludeClipboardContentFromMonitorProcessing", 0},
	{"CanIncludeInClipboardHistory", 0},
	{"CanUploadToCloudClipboard", 0},
}

const (
	cfUnicodeText = 13
	gmemMoveable  = 0x0002
)

var (
	user32                     = windows.NewLazySystemDLL("user32.dll")
	procOpenClipboard          = user32.NewProc("OpenClipboard")
	procCloseClipboard         = user32.NewProc("CloseClipboard")
	procEmptyClipboard         = user32.NewProc("EmptyClipboard")
	procSetClipboardData       = user32.NewProc("SetClipboardData")
	procRegisterClipboardFormW = user32.NewProc("RegisterClipboardFormatW")
	kernel32                   = windows.NewLazySystemDLL("kernel32.dll")
	procGlobalAlloc            = kernel32.NewProc("GlobalAlloc")
	procGlobalFree             = kernel32.NewProc("GlobalFree")
	procGlobalLock             = kernel32.NewProc("GlobalLock")
	procGlobalUnlock           = kernel32.NewProc("GlobalUnlock")
	procGlobalSize             = kernel32.NewProc("GlobalSize")
	procRtlMoveMemory          = kernel32.NewProc("RtlMoveMemory")
)

// openClipboard opens the clipboard, retrying for a second: another
// program may hold it open for a moment.
func openClipboard() error {
	var err error
	for end := time.Now().Add(time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		var r uintptr
		r, _, err = procOpenClipboard.Call(0)
		if r != 0 {
			return nil
		}
	}
	return fmt.Errorf("opening the clipboard: %w", err)
}

// writeMarked puts text on the clipboard with the marks above; "" empties
// the clipboard (the clear).
func writeMarked(text string) error {
	// OpenClipboard belongs to the calling thread until CloseClipboard.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := openClipboard(); err != nil {
		return err
	}
	defer procCloseClipboard.Call()
	if r, _, err := procEmptyClipboard.Call(); r == 0 {
		return fmt.Errorf("emptying the clipboard: %w", err)
	}
	if text == "" {
		return nil
	}
	if err := setMarked(text); err != nil {
		// The text may be there already, unmarked, and Copy starts no
		// clearing helper after a failed write: take it off again.
		procEmptyClipboard.Call()
		return err
	}
	return nil
}

// setMarked sets text and its marks on the open, emptied clipboard.
func setMarked(text string) error {
	u, err := windows.UTF16FromString(text)
	if err != nil {
		return errors.New("the text holds a NUL character")
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&u[0])), 2*len(u))
	defer clear(b) // the clipboard keeps its own copy
	if err := setData(cfUnicodeText, b); err != nil {
		return err
	}
	for _, f := range WindowsFormats {
		name, err := windows.UTF16PtrFromString(f.Name)
		if err != nil {
			return fmt.Errorf("the clipboard format %q: %w", f.Name, err)
		}
		id, _, err := procRegisterClipboardFormW.Call(uintptr(unsafe.Pointer(name)))
		if id == 0 {
			return fmt.Errorf("registering the clipboard format %s: %w", f.Name, err)
		}
		v := f.Value
		if err := setData(id, unsafe.Slice((*byte)(unsafe.Pointer(&v)), 4)); err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return nil
}

// setData copies data into a movable global block and hands it to the
// clipboard, which owns it from then on.
func setData(format uintptr, data []byte) error {
	h, _, err := procGlobalAlloc.Call(gmemMoveable, uintptr(len(data)))
	if h == 0 {
		return fmt.Errorf("allocating clipboard memory: %w", err)
	}
	p, _, err := procGlobalLock.Call(h)
	if p == 0 {
		procGlobalFree.Call(h)
		return fmt.Errorf("locking clipboard memory: %w", err)
	}
	// RtlMoveMemory takes the block's address as a number: no uintptr is
	// turned back into a Go pointer.
	procRtlMoveMemory.Call(p, uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)))
	procGlobalUnlock.Call(h)
	if r, _, err := procSetClipboardData.Call(format, h); r == 0 {
		procGlobalFree.Call(h)
		return fmt.Errorf("setting clipboard data: %w", err)
	}
	return nil
}
