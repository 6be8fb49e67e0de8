package tray

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// TestEntryShowsWholePrompt opens the real entry dialog (zenity's Win32
// one; under Wine in CI, on Xvfb) with the code prompt's three lines and
// checks the label grew to hold them, with the edit box below it, where
// zenity alone leaves a one-line label that cuts off the rest.
func TestEntryShowsWholePrompt(t *testing.T) {
	title := fmt.Sprintf("anykey test %d", time.Now().UnixNano())
	text := "Wrong code (try 2 of 5).\n\nType the 4-digit code Anytype shows.\nNewer Anytype first asks you to allow the request: answer that, and it shows the code."
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := Dialogs{}.Entry(ctx, Dialog{Title: title, Text: text})
		done <- err
	}()
	t16, _ := windows.UTF16PtrFromString(title)
	var wnd uintptr
	for wnd == 0 {
		select {
		case err := <-done:
			t.Fatalf("the dialog ended before it was seen: %v", err)
		case <-ctx.Done():
			t.Fatal("no dialog window within 30 s")
		case <-time.After(50 * time.Millisecond):
		}
		wnd = findOwnWindow(t16)
	}
	// What the whole prompt needs at the label's width in its font: at
	// least one line per line of text (and more where one wraps).
	need := textHeight(child(wnd, 0, "STATIC"), text)
	if least := int32(strings.Count(text, "\n")+1) * 8; need < least {
		t.Fatalf("the prompt measures %d px high; its %d lines need more", need, strings.Count(text, "\n")+1)
	}
	var lr, er, br, cr rect
	fits := func() bool {
		lr, er = clientRect(wnd, child(wnd, 0, "STATIC")), clientRect(wnd, child(wnd, 0, "EDIT"))
		procGetClientRect.Call(wnd, uintptr(unsafe.Pointer(&cr)))
		br = rect{}
		for b := child(wnd, 0, "BUTTON"); b != 0; b = child(wnd, b, "BUTTON") {
			if r := clientRect(wnd, b); r.Bottom > br.Bottom {
				br = r
			}
		}
		return lr.Bottom-lr.Top >= need && er.Top >= lr.Bottom && br.Top >= er.Bottom && br.Bottom <= cr.Bottom
	}
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end) && !fits(); time.Sleep(50 * time.Millisecond) {
	}
	ok := fits()
	cancel()
	<-done
	if !ok {
		t.Fatalf("label %d px high, the prompt needs %d; edit box at y=%d..%d, label ends at y=%d; buttons end at y=%d, the window's client area at y=%d",
			lr.Bottom-lr.Top, need, er.Top, er.Bottom, lr.Bottom, br.Bottom, cr.Bottom)
	}
	t.Logf("label %d×%d px (the prompt needs %d), edit box at y=%d, buttons end at y=%d of %d",
		lr.Right-lr.Left, lr.Bottom-lr.Top, need, er.Top, br.Bottom, cr.Bottom)
}

var procGetClientRect = user32.NewProc("GetClientRect")

// textHeight is the height text needs, word-wrapped at label's width in
// label's font: DrawText with DT_CALCRECT, as a STATIC control lays out
// its own text.
func textHeight(label uintptr, text string) int32 {
	var lr rect
	procGetWindowRect.Call(label, uintptr(unsafe.Pointer(&lr)))
	r := rect{Right: lr.Right - lr.Left}
	dc, _, _ := procGetDC.Call(label)
	if dc == 0 {
		return 0
	}
	defer procReleaseDC.Call(label, dc)
	if font, _, _ := procSendMessageW.Call(label, wmGetFont, 0, 0); font != 0 {
		procSelectObject.Call(dc, font)
	}
	u, _ := windows.UTF16FromString(text)
	procDrawTextW.Call(dc, uintptr(unsafe.Pointer(&u[0])), uintptr(len(u)-1), uintptr(unsafe.Pointer(&r)), dtCalcRect|dtWordBreak|dtNoPref)
	return r.Bottom
}
