//go:build !linux

package tray

import "context"

// HostShowsIcons is always true outside Linux: Windows and macOS always
// have a notification area / menu bar.
func HostShowsIcons() bool { return true }

// CheckSessionBus has nothing to check outside Linux: the tray talks to the
// system's own notification area or menu bar, not to D-Bus.
func CheckSessionBus() error { return nil }

// refusedBus has nothing to refuse outside Linux: notifications do not go
// over D-Bus there.
func refusedBus() error { return nil }

// keepRegistered has nothing to do outside Linux.
func keepRegistered(context.Context, func(string, ...any)) {}
