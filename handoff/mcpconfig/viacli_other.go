//go:build !windows

package mcpconfig

// throughCmd reports whether running the client's program would go through
// cmd.exe: only on Windows (see there).
func throughCmd(string) bool { return false }
