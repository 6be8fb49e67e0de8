//go:build !linux

package tray

// HostShowsIcons is always true outside Linux: Windows and macOS always
// have a notification area / menu bar.
func HostShowsIcons() bool { return true }
