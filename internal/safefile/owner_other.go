//go:build !unix

package safefile

import "io/fs"

// CheckOwner does nothing where files carry no Unix owner (Windows, whose
// per-user profile directories are protected by their ACLs).
func CheckOwner(path string, fi fs.FileInfo) error { return nil }
