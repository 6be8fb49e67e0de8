package clip

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/anykey-app/anykey/internal/desktoptest"
)

var (
	procEnumClipboardFormats    = user32.NewProc("EnumClipboardFormats")
	procGetClipboardFormatNameW = user32.NewProc("GetClipboardFormatNameW")
	procGetClipboardData        = user32.NewProc("GetClipboardData")
)

// clipboardFormats reads every format on the clipboard as a clipboard
// monitor does: its name (registered formats) or number, and its bytes.
func clipboardFormats(t *testing.T) map[string][]byte {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := openClipboard(); err != nil {
		t.Fatal(err)
	}
	defer procCloseClipboard.Call()
	got := map[string][]byte{}
	for f := uintptr(0); ; {
		f, _, _ = procEnumClipboardFormats.Call(f)
		if f == 0 {
			break
		}
		name := ""
		if f >= 0xC000 {
			buf := make([]uint16, 256)
			n, _, _ := procGetClipboardFormatNameW.Call(f, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
			name = windows.UTF16ToString(buf[:n])
		} else if f == cfUnicodeText {
			name = "CF_UNICODETEXT"
		} else {
			continue // formats Windows synthesizes (CF_TEXT, CF_LOCALE...)
		}
		h, _, _ := procGetClipboardData.Call(f)
		if h == 0 {
			got[name] = nil
			continue
		}
		size, _, _ := procGlobalSize.Call(h)
		p, _, _ := procGlobalLock.Call(h)
		b := make([]byte, size)
		if p != 0 && size > 0 {
			procRtlMoveMemory.Call(uintptr(unsafe.Pointer(&b[0])), p, size)
		}
		procGlobalUnlock.Call(h)
		got[name] = b
	}
	return got
}

func utf16Bytes(s string) []byte {
	u, _ := windows.UTF16FromString(s)
	return unsafe.Slice((*byte)(unsafe.Pointer(&u[0])), 2*len(u))
}

// TestCopyWindowsFormats copies through the real Windows clipboard (under
// Wine in CI) and reads back what a clipboard monitor sees: the text as
// CF_UNICODETEXT and the three formats that keep it out of clipboard
// history, monitors and cloud sync, each a DWORD 0. The clear, by the real
// detached helper (this test binary), empties it. Under Wine only, like
// internal/e2e's TestWindowsCopyAndClear: on Windows it would overwrite
// and then empty this user's own clipboard.
func TestCopyWindowsFormats(t *testing.T) {
	if !desktoptest.Wine() {
		t.Skip("would overwrite this user's clipboard (runs under Wine, in the test's own prefix)")
	}
	dir := t.TempDir()
	oldG, oldE := genPath, executable
	genPath = func() string { return filepath.Join(dir, genFileName) }
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	executable = func() (string, error) { return self, nil }
	t.Cleanup(func() { genPath, executable = oldG, oldE })

	secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
	if err := Copy(secret, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	got := clipboardFormats(t)
	names := make([]string, 0, len(got))
	for n, b := range got {
		names = append(names, fmt.Sprintf("%s (%d bytes)", n, len(b)))
	}
	slices.Sort(names)
	t.Logf("formats on the clipboard: %q", names)
	if text := got["CF_UNICODETEXT"]; len(text) < len(utf16Bytes(secret)) || string(text[:len(utf16Bytes(secret))]) != string(utf16Bytes(secret)) {
		t.Errorf("CF_UNICODETEXT does not hold the key (%d bytes)", len(text))
	}
	for _, f := range WindowsFormats {
		b, ok := got[f.Name]
		if !ok {
			t.Errorf("the clipboard has no %s", f.Name)
			continue
		}
		if len(b) < 4 || *(*uint32)(unsafe.Pointer(&b[0])) != f.Value {
			t.Errorf("%s = % x, want the DWORD %d", f.Name, b, f.Value)
		}
	}
	// The clear: the helper sees its key still there and empties the
	// clipboard.
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, ok := clipboardFormats(t)["CF_UNICODETEXT"]; !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the clipboard was not cleared")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestCopyWindowsFailedMark: a copy whose marks cannot be set fails, and
// leaves no key behind: Copy starts no clearing helper after a failed
// write, so a key already put there as CF_UNICODETEXT would stay.
func TestCopyWindowsFailedMark(t *testing.T) {
	if !desktoptest.Wine() {
		t.Skip("would overwrite this user's clipboard (runs under Wine, in the test's own prefix)")
	}
	dir := t.TempDir()
	oldG, oldF := genPath, WindowsFormats
	genPath = func() string { return filepath.Join(dir, genFileName) }
	// RegisterClipboardFormatW refuses an empty name: the third mark fails.
	WindowsFormats = append(slices.Clone(oldF[:2]), struct {
		Name  string
		Value uint32
	}{"", 0})
	t.Cleanup(func() { genPath, WindowsFormats = oldG, oldF })

	secret := "clip-test-secret-" + time.Now().Format("150405.000000000")
	if err := Copy(secret, 2*time.Second); err == nil {
		t.Fatal("a copy whose mark failed reported success")
	}
	if _, ok := clipboardFormats(t)["CF_UNICODETEXT"]; ok {
		t.Error("a failed copy left the key on the clipboard, unmarked, with nothing to clear it")
	}
}
