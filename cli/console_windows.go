package cli

// On Windows anykey is linked as a GUI-subsystem program (-H=windowsgui) so
// that the tray, started at login from the Run key, never flashes a console
// window. A GUI program gets no console and, unless the shell redirected
// them, no standard handles, so `anykey list` typed in cmd.exe or PowerShell
// would print nothing. The init below attaches to the console of the parent
// shell when a command is given and points the standard streams at it. One
// binary instead of a second console build (anykey-cli.exe or the .com/.exe
// pair): see docs/install.md, "Windows: one binary for tray and CLI".

import (
	"log"
	"os"

	"golang.org/x/sys/windows"
)

// attachParentProcess is ATTACH_PARENT_PROCESS, (DWORD)-1, from wincon.h.
const attachParentProcess = uintptr(^uint32(0))

// procAttachConsole is loaded lazily: golang.org/x/sys/windows has no
// wrapper for AttachConsole.
var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

func init() {
	if wantsConsole(os.Args) {
		attachParentConsole()
	}
}

// wantsConsole reports whether this run is a CLI command that should print
// to the shell it was typed in. The tray (no command, or "tray") is left
// alone: attached to a console it would be killed when that window closes.
func wantsConsole(args []string) bool {
	return len(args) > 1 && args[1] != "tray"
}

// attachParentConsole attaches to the parent's console and re-opens only
// the standard streams that had no usable handle before, so that
// `anykey list > names.txt`, `anykey list | findstr work` and PowerShell's
// `$k = anykey get NAME` (all of which hand the process real pipe or file
// handles) keep writing where the shell asked.
func attachParentConsole() {
	// Look before attaching: afterwards the missing handles may point at the
	// console too, and redirected ones must not be replaced.
	in := usableStdHandle(windows.STD_INPUT_HANDLE)
	out := usableStdHandle(windows.STD_OUTPUT_HANDLE)
	errh := usableStdHandle(windows.STD_ERROR_HANDLE)
	if in && out && errh {
		return // fully redirected: nothing to attach for
	}
	if r, _, _ := procAttachConsole.Call(attachParentProcess); r == 0 {
		// No parent console (Explorer, a shortcut, the Run key): there is
		// nowhere to print, and the command still runs.
		return
	}
	if !in {
		reopenStd(windows.STD_INPUT_HANDLE, "CONIN$", &os.Stdin)
	}
	if !out {
		reopenStd(windows.STD_OUTPUT_HANDLE, "CONOUT$", &os.Stdout)
	}
	if !errh {
		reopenStd(windows.STD_ERROR_HANDLE, "CONOUT$", &os.Stderr)
		// The log package captured the old os.Stderr in its own init.
		log.SetOutput(os.Stderr)
	}
}

// usableStdHandle reports whether the standard handle id refers to
// something real (console, pipe or file). A GUI program started from a shell
// without redirection has a NULL handle here.
func usableStdHandle(id uint32) bool {
	h, err := windows.GetStdHandle(id)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, _ := windows.GetFileType(h)
	return t != windows.FILE_TYPE_UNKNOWN
}

// reopenStd opens the console device name (CONIN$ or CONOUT$), makes it the
// process's standard handle id (for child processes and C code) and stores
// it in *f. Failure leaves the stream as it was: printing is best effort.
func reopenStd(id uint32, name string, f **os.File) {
	c, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return
	}
	_ = windows.SetStdHandle(id, windows.Handle(c.Fd()))
	*f = c
}
