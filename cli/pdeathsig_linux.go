package cli

import "syscall"

// setParentDeathSignal makes the kernel kill the child when anykey dies, so
// a server holding the key in its environment never outlives anykey.
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
