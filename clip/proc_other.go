//go:build !unix && !windows

package clip

import "syscall"

func detached() *syscall.SysProcAttr { return nil }
