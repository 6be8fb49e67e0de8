package tray

import (
	"os"
	"runtime"
)

// idleRuntime sets the Go runtime up for a process that sleeps nearly all
// day and wakes every few seconds for a few microseconds of work.
//
// One P: the tray never has two things to compute at once (clicks, the
// probe and keys.json reads wait on I/O), and with more than one P every
// goroutine that becomes ready wakes a second OS thread that spins, finds
// nothing and sleeps again, and a cancelled deadline timer left on another
// P's heap wakes the netpoller when it would have fired. Measured with
// scripts/bench-tray.sh: about half the idle wake-ups go
// (docs/performance.md). A GOMAXPROCS set in the environment wins, for
// measuring.
func idleRuntime() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
}
