package auth

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// TestPidOwner: this process is "mine"; a process that cannot be opened
// (PID 0, the idle process, which Wine 8 names as every listener's owner)
// is an error, never an owner with a made-up id that a hint would offer.
func TestPidOwner(t *testing.T) {
	me, err := tokenSID(windows.CurrentProcess())
	if err != nil {
		t.Fatal(err)
	}
	if o, err := pidOwner(uint32(os.Getpid()), me); err != nil || !o.mine || o.id != me.String() {
		t.Errorf("pidOwner(own pid) = %+v, %v; want mine", o, err)
	}
	o, err := pidOwner(0, me)
	if err == nil || o.id != "" || o.mine {
		t.Fatalf("pidOwner(0) = %+v, %v; want an error and no owner", o, err)
	}
	if !strings.Contains(err.Error(), "pid 0") {
		t.Errorf("error does not name the process: %v", err)
	}
}
