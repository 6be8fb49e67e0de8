//go:build !linux && !darwin && !windows

package tray

// openArgv has no opener to offer on other systems; Open says so.
func openArgv(url string) []string { return nil }
