package mcpconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/anykey-app/anykey/internal/safefile"
)

// BackupSuffix is added to a config file's name for the copy of its
// previous version.
const BackupSuffix = ".anykey-backup"

// writeAtomic replaces file with data through a temporary file in the same
// directory and a rename, so a crash leaves the old file or the new one,
// never half of one. When the file existed, old is first saved beside it
// (with the same permissions) and the backup's path returned; a nil old
// keeps no backup. A file the
// user may not write is left alone: the rename would otherwise replace it.
func writeAtomic(file string, data, old []byte, existed bool) (string, error) {
	dir := filepath.Dir(file)
	mode := fs.FileMode(0o600)
	var orig fs.FileInfo
	if existed {
		fi, err := os.Stat(file)
		if err != nil {
			return "", err
		}
		// Another user's file is theirs to change (root's writes would
		// otherwise go through): refused, whatever its mode.
		if err := safefile.CheckOwner(file, fi); err != nil {
			return "", err
		}
		orig = fi
		mode = fi.Mode().Perm()
		// root may open a 0444 file for writing; its mode still says the
		// user meant it not to change.
		if mode&0o222 == 0 {
			return "", ErrReadOnly
		}
		f, err := os.OpenFile(file, os.O_WRONLY, 0)
		if err != nil {
			if errors.Is(err, fs.ErrPermission) {
				return "", ErrReadOnly
			}
			return "", err
		}
		f.Close()
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	backup := ""
	if existed && old != nil {
		backup = file + BackupSuffix
		if err := writeTemp(dir, backup, old, mode, file, orig); err != nil {
			return "", fmt.Errorf("keeping a backup: %w", err)
		}
	}
	if err := writeTemp(dir, file, data, mode, file, orig); err != nil {
		return "", err
	}
	return backup, nil
}

// writeTemp writes data to a new file in dir, syncs it and renames it to
// name. With orig (the FileInfo of the file at like), the new file gets
// like's owner, group and ACLs ([keepAttrs]). The file has no name until
// it is complete where the OS allows ([newTemp]), so a kill -9 leaves no
// copy of the config behind.
func writeTemp(dir, name string, data []byte, mode fs.FileMode, like string, orig fs.FileInfo) error {
	f, named, err := newTemp(dir, name)
	if err != nil {
		return err
	}
	tmp := ""
	if named {
		tmp = f.Name()
	}
	ok := false
	defer func() {
		if !ok && tmp != "" {
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if orig != nil {
		if err := keepAttrs(f, like, orig); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if !named {
		if tmp, err = linkTemp(f, dir, name); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		return err
	}
	ok = true
	return nil
}
