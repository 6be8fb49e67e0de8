// Command mkbundle assembles anykey.app, the macOS application bundle:
//
//	anykey.app/Contents/Info.plist         packaging.InfoPlist(version)
//	anykey.app/Contents/Resources/anykey.icns
//	anykey.app/Contents/MacOS/anykey        the darwin binary, when given
//
// scripts/dist.sh runs it without -bin on Linux, where the cgo darwin build
// is impossible, to produce the bundle skeleton; on a Mac the same command
// with -bin makes the real bundle (docs/install.md, "macOS").
//
// Usage: go run ./packaging/macos/mkbundle -version 0.1.0 -icns icons/anykey.icns [-bin anykey] -o dist/anykey.app
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/anykey-app/anykey/packaging"
)

func main() {
	version := flag.String("version", "", "version for CFBundleShortVersionString and CFBundleVersion (required)")
	icns := flag.String("icns", "", "path of the .icns icon (required)")
	bin := flag.String("bin", "", "darwin binary to put in Contents/MacOS (optional)")
	out := flag.String("o", "", "bundle directory to create, ending in .app (required)")
	flag.Parse()
	if err := run(*version, *icns, *bin, *out); err != nil {
		fmt.Fprintln(os.Stderr, "mkbundle:", err)
		os.Exit(1)
	}
}

// file is one file of the bundle.
type file struct {
	path string
	data []byte
	perm os.FileMode
}

func run(version, icns, bin, out string) error {
	if version == "" || icns == "" || filepath.Ext(out) != ".app" || flag.NArg() != 0 {
		flag.Usage()
		return errors.New("need -version, -icns and -o NAME.app")
	}
	icon, err := os.ReadFile(icns)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(icon, []byte("icns")) {
		return fmt.Errorf("%s is not an icns file", icns)
	}
	plist, err := packaging.InfoPlist(version)
	if err != nil {
		return err
	}
	// Start from an empty bundle so a stale binary never survives a rebuild.
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	contents := filepath.Join(out, "Contents")
	for _, d := range []string{"MacOS", "Resources"} {
		if err := os.MkdirAll(filepath.Join(contents, d), 0o755); err != nil {
			return err
		}
	}
	// CFBundleIconFile in Info.plist is "anykey", so the name is fixed here.
	files := []file{
		{filepath.Join(contents, "Info.plist"), plist, 0o644},
		{filepath.Join(contents, "Resources", "anykey.icns"), icon, 0o644},
		// PkgInfo is optional for modern macOS but Finder still reads it.
		{filepath.Join(contents, "PkgInfo"), []byte("APPL????"), 0o644},
	}
	if bin != "" {
		b, err := os.ReadFile(bin)
		if err != nil {
			return err
		}
		// CFBundleExecutable is "anykey".
		files = append(files, file{filepath.Join(contents, "MacOS", "anykey"), b, 0o755})
	}
	for _, f := range files {
		if err := os.WriteFile(f.path, f.data, f.perm); err != nil {
			return err
		}
	}
	return nil
}
