//go:build !linux

package tray

import "context"

// HostShowsIcons is always true outside Linux: Windows and macOS always
// have a notification area / menu bar.
func HostShowsIcons() bool { return true }

// keepRegistered has nothing to do outside Linux.
func keepRegistered(context.Context, func(string, ...any)) {}
