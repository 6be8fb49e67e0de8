//go:build !unix

package packaging

import "io/fs"

func othersCanWrite(fs.FileInfo, int) bool { return false }
