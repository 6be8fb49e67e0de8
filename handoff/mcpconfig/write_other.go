//go:build !linux

package mcpconfig

import (
	"errors"
	"os"
	"path/filepath"
)

// newTemp opens a named temporary file in dir; only Linux has unnamed ones
// (O_TMPFILE).
func newTemp(dir, name string) (*os.File, bool, error) {
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".*.tmp")
	return f, err == nil, err
}

func linkTemp(*os.File, string, string) (string, error) {
	return "", errors.New("no unnamed temporary files here")
}

// keepAttrs keeps nothing outside Linux yet: on macOS a rename keeps the
// user's group in practice (BSD semantics: the directory's), and Windows
// files take the directory's ACL.
func keepAttrs(*os.File, string, os.FileInfo) error { return nil }
