package clip

import "syscall"

// detached starts the helper without a console and in its own process group,
// so Ctrl-C in the caller's console does not reach it.
func detached() *syscall.SysProcAttr {
	const createNoWindow = 0x08000000
	return &syscall.SysProcAttr{
		CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP | createNoWindow,
		HideWindow:    true,
	}
}
