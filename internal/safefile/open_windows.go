package safefile

import (
	"os"

	"golang.org/x/sys/windows"
)

// NoFollow is 0 on Windows, where open takes no such flag: [Open] asks
// CreateFile for the reparse point itself instead (a symlink is then seen,
// and refused, as a symlink).
const NoFollow = 0

// open opens path for reading with FILE_SHARE_DELETE as well as read and
// write sharing, so that a writer may replace the file by renaming another
// over it while we read (keys.json's atomic replace; Go's os.Open shares
// only read and write, and then MoveFileEx fails with "Access is denied").
// FILE_FLAG_OPEN_REPARSE_POINT opens a symlink or junction itself rather
// than its target, and FILE_FLAG_BACKUP_SEMANTICS lets a directory open;
// ReadFile's regular-file check then refuses either.
func open(path string) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE, nil,
		windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL|windows.FILE_FLAG_OPEN_REPARSE_POINT|windows.FILE_FLAG_BACKUP_SEMANTICS, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}
