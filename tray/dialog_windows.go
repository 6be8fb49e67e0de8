package tray

import (
	"context"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// ncruces/zenity's Windows entry dialog has a fixed one-line label
// (entry_windows.go: a 241×16 STATIC, the edit box right under it), so
// every line of a prompt after the first was cut off, the code dialog's
// "Newer Anytype first asks you to allow the request…" among them.
// fitEntryLabel finds the dialog by its title once it is shown, measures
// the prompt with the label's own font (DrawText, DT_CALCRECT|DT_WORDBREAK),
// and grows the label to hold it all, moving the edit box and buttons down
// and the window with them. (No upstream issue for this yet: zenity's
// entry has no multi-line option on any platform.)

var (
	user32            = windows.NewLazySystemDLL("user32.dll")
	gdi32             = windows.NewLazySystemDLL("gdi32.dll")
	procFindWindowExW = user32.NewProc("FindWindowExW")
	procGetWindowRect = user32.NewProc("GetWindowRect")
	procSetWindowPos  = user32.NewProc("SetWindowPos")
	procMapWindowPts  = user32.NewProc("MapWindowPoints")
	procGetDC         = user32.NewProc("GetDC")
	procReleaseDC     = user32.NewProc("ReleaseDC")
	procDrawTextW     = user32.NewProc("DrawTextW")
	procSendMessageW  = user32.NewProc("SendMessageW")
	procSelectObject  = gdi32.NewProc("SelectObject")
)

const (
	swpNoSize, swpNoMove, swpNoZOrder = 0x1, 0x2, 0x4
	wmGetFont                         = 0x31
	dtCalcRect, dtWordBreak, dtNoPref = 0x400, 0x10, 0x800
)

type rect struct{ Left, Top, Right, Bottom int32 }

// fitEntryLabel runs until the dialog titled title of this process is
// fitted or ctx ends (at most 10 s).
func fitEntryLabel(ctx context.Context, title, text string) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	t16, _ := windows.UTF16PtrFromString(title)
	for {
		// The window can exist before its controls: ask again until the
		// label and the edit box are there (a first look found none under
		// load in CI, and the label stayed one line high).
		if wnd := findOwnWindow(t16); wnd != 0 && growLabel(wnd, text) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func findOwnWindow(title *uint16) uintptr {
	pid := uint32(os.Getpid())
	for after := uintptr(0); ; {
		h, _, _ := procFindWindowExW.Call(0, after, 0, uintptr(unsafe.Pointer(title)))
		if h == 0 {
			return 0
		}
		var owner uint32
		windows.GetWindowThreadProcessId(windows.HWND(h), &owner)
		if owner == pid {
			return h
		}
		after = h
	}
}

func child(wnd, after uintptr, class string) uintptr {
	c, _ := windows.UTF16PtrFromString(class)
	h, _, _ := procFindWindowExW.Call(wnd, after, uintptr(unsafe.Pointer(c)), 0)
	return h
}

// clientRect is h's rectangle in wnd's client coordinates.
func clientRect(wnd, h uintptr) rect {
	var r rect
	procGetWindowRect.Call(h, uintptr(unsafe.Pointer(&r)))
	procMapWindowPts.Call(0, wnd, uintptr(unsafe.Pointer(&r)), 2)
	return r
}

func growLabel(wnd uintptr, text string) bool {
	label, edit := child(wnd, 0, "STATIC"), child(wnd, 0, "EDIT")
	// OK and Cancel too: they move down with the edit box.
	if label == 0 || edit == 0 || child(wnd, child(wnd, 0, "BUTTON"), "BUTTON") == 0 {
		return false
	}
	lr := clientRect(wnd, label)
	// The height the text needs at the label's width, in its font.
	need := rect{Right: lr.Right - lr.Left}
	dc, _, _ := procGetDC.Call(label)
	if dc == 0 {
		return true // nothing to measure with: leave the dialog as it is
	}
	font, _, _ := procSendMessageW.Call(label, wmGetFont, 0, 0)
	if font != 0 {
		procSelectObject.Call(dc, font)
	}
	u, _ := windows.UTF16FromString(text)
	procDrawTextW.Call(dc, uintptr(unsafe.Pointer(&u[0])), uintptr(len(u)-1), uintptr(unsafe.Pointer(&need)), dtCalcRect|dtWordBreak|dtNoPref)
	procReleaseDC.Call(label, dc)
	extra := need.Bottom - (lr.Bottom - lr.Top)
	if extra <= 0 {
		return true
	}
	procSetWindowPos.Call(label, 0, 0, 0, uintptr(lr.Right-lr.Left), uintptr(need.Bottom), swpNoMove|swpNoZOrder)
	var moved []uintptr
	moved = append(moved, edit)
	for b := child(wnd, 0, "BUTTON"); b != 0; b = child(wnd, b, "BUTTON") {
		moved = append(moved, b)
	}
	for _, h := range moved {
		r := clientRect(wnd, h)
		procSetWindowPos.Call(h, 0, uintptr(r.Left), uintptr(r.Top+extra), 0, 0, swpNoSize|swpNoZOrder)
	}
	var wr rect
	procGetWindowRect.Call(wnd, uintptr(unsafe.Pointer(&wr)))
	procSetWindowPos.Call(wnd, 0, 0, 0, uintptr(wr.Right-wr.Left), uintptr(wr.Bottom-wr.Top+extra), swpNoMove|swpNoZOrder)
	return true
}
