package cli

import (
	"os"
	"os/exec"
)

// forwardedSignals: none. A console's Ctrl-C and Ctrl-Break reach every
// process attached to it, the command included, once.
var forwardedSignals = []os.Signal{os.Interrupt}

type maskedChild struct{}

func newMaskedChild(*exec.Cmd, bool, int) *maskedChild { return &maskedChild{} }

// signal drops s: the console already delivered it to the command.
func (*maskedChild) signal(os.Signal) {}

// ignorePipe: Windows has no SIGPIPE; a write to a closed pipe fails.
func ignorePipe() {}

// groupGuard: Windows has no process groups to guard; see
// docs/mcp-clients.md for what holds there.
type groupGuard struct{}

func startGuard() *groupGuard  { return nil }
func (*groupGuard) group() int { return 0 }
func (*groupGuard) close()     {}
