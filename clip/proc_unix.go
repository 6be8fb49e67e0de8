//go:build unix

package clip

import "syscall"

// detached puts the helper in its own session so closing the terminal (or a
// Ctrl-C to the command's process group) does not take it down before it
// clears the clipboard.
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
