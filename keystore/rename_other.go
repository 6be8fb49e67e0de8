//go:build !windows

package keystore

import "os"

// replaceFile renames tmp over dst; rename(2) replaces dst even while
// others have it open (they keep reading the old file).
func replaceFile(tmp, dst string) error { return os.Rename(tmp, dst) }
