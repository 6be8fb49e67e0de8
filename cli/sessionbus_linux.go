package cli

import (
	"fmt"
	"io/fs"
	"os"
)

// findSessionBus points go-keyring (through godbus) at the systemd user bus
// when the environment names no session bus, as MCP clients leave it: they
// start a server with little more than HOME, PATH and USER. busdial, like
// libdbus, looks only at DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR/bus
// (and makes godbus dial that one: godbus alone would try
// /run/user/UID/bus and then autolaunch a new, empty bus without the
// Secret Service).
// It returns a message for the user when there is no bus to find, else "".
// It must run before the first keychain call.
func findSessionBus() string {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" || os.Getenv("XDG_RUNTIME_DIR") != "" {
		return ""
	}
	bus := fmt.Sprintf("/run/user/%d/bus", os.Getuid())
	if fi, err := os.Stat(bus); err == nil && fi.Mode()&fs.ModeSocket != 0 {
		os.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+bus)
		return ""
	}
	return "anykey: no session bus: DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR are not set and " + bus +
		" is not a socket, so the keychain cannot be reached\n" +
		"anykey: hint: log in to a desktop session (systemd provides the user bus), or set DBUS_SESSION_BUS_ADDRESS in the client's entry"
}
