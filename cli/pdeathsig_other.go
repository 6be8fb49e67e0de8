//go:build unix && !linux

package cli

import "syscall"

// setParentDeathSignal does nothing: only Linux has a parent-death signal.
// An MCP server started by exec --mask still ends when its client closes
// its stdin.
func setParentDeathSignal(*syscall.SysProcAttr) {}
