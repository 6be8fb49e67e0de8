package keystore

import (
	"errors"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/windows"
)

// replaceFile renames tmp over dst (both in one directory). os.Rename is
// MoveFileEx, which cannot replace a file that anyone has open, even with
// delete sharing; os.Root's Rename asks for FILE_RENAME_POSIX_SEMANTICS
// (Windows 10 1607 and later, NTFS), which replaces a file its readers
// opened with delete sharing, as anykey's readers do (internal/safefile),
// and falls back to the classic rename elsewhere. A reader without delete
// sharing (a virus scanner, a search indexer, an editor) still makes it
// fail with ERROR_ACCESS_DENIED or ERROR_SHARING_VIOLATION while it holds
// the file: retry for up to replaceRetry before giving up.
func replaceFile(tmp, dst string) error {
	root, err := os.OpenRoot(filepath.Dir(dst))
	if err != nil {
		return err
	}
	defer root.Close()
	deadline := time.Now().Add(replaceRetry)
	wait := 5 * time.Millisecond
	for {
		err := root.Rename(filepath.Base(tmp), filepath.Base(dst))
		if err == nil || !(errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_SHARING_VIOLATION)) ||
			time.Now().After(deadline) {
			return err
		}
		time.Sleep(wait)
		wait = min(2*wait, 100*time.Millisecond)
	}
}

// replaceRetry is how long replaceFile keeps trying on Windows.
const replaceRetry = 2 * time.Second
