package tray

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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
	var lr, er rect
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		lr, er = clientRect(wnd, child(wnd, 0, "STATIC")), clientRect(wnd, child(wnd, 0, "EDIT"))
		if lr.Bottom-lr.Top >= 4*16 && er.Top >= lr.Bottom {
			break
		}
	}
	cancel()
	<-done
	if h := lr.Bottom - lr.Top; h < 4*16 || er.Top < lr.Bottom {
		t.Fatalf("label %d px high (%d lines of text need at least %d), edit box at y=%d, label ends at y=%d",
			h, strings.Count(text, "\n")+1, 4*16, er.Top, lr.Bottom)
	}
	t.Logf("label %d×%d px, edit box at y=%d", lr.Right-lr.Left, lr.Bottom-lr.Top, er.Top)
}
