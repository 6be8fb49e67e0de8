package e2e

import (
	"bufio"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// root is the module root, seen from this package's directory.
const root = "../.."

// walkGo calls fn for every non-generated .go file of the module, skipping
// testdata, dist and hidden directories, and other modules inside it (a
// directory with a go.mod of its own: tempfork's patched libraries, which
// keep their upstream's layout).
func walkGo(t *testing.T, fn func(path string)) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (name == "testdata" || name == "dist" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") {
			fn(path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPackageDocs fails when a package in the module has no package doc
// comment, or more than one (house style: one doc per package, saying what
// it is for and where to start), as Tailscale's pkgdoc_test.go does.
func TestPackageDocs(t *testing.T) {
	t.Parallel()
	docs := map[string][]string{} // dir -> files with a package doc
	seen := map[string]bool{}
	walkGo(t, func(path string) {
		if strings.HasSuffix(path, "_test.go") {
			return
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Dir(path)
		seen[dir] = true
		if f.Doc != nil && strings.TrimSpace(f.Doc.Text()) != "" {
			docs[dir] = append(docs[dir], filepath.Base(path))
		}
	})
	if len(seen) < 10 {
		t.Fatalf("found only %d package directories; is the walk broken?", len(seen))
	}
	for dir := range seen {
		switch n := len(docs[dir]); {
		case n == 0:
			t.Errorf("package in %s has no package doc comment", dir)
		case n > 1:
			t.Errorf("package in %s has %d package doc comments (%s); keep one", dir, n, strings.Join(docs[dir], ", "))
		}
	}
}

// maxLines is the house's "files under about 400 lines", with the slack
// "about" allows.
const maxLines = 450

// TestFileSizes keeps every Go file, tests included, under maxLines.
func TestFileSizes(t *testing.T) {
	t.Parallel()
	walkGo(t, func(path string) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		n := 0
		for s := bufio.NewScanner(f); s.Scan(); {
			n++
		}
		if n > maxLines {
			t.Errorf("%s has %d lines; split it by concern (house style: under about 400)", path, n)
		}
	})
}

// TestRootLayout keeps the top level to the design card's: main.go (and at
// most a platform twin), the packages, and the project's own files.
func TestRootLayout(t *testing.T) {
	t.Parallel()
	allowed := map[string]bool{
		// the design card
		"go.mod": true, "go.sum": true, "main.go": true, "tray": true, "auth": true,
		"keystore": true, "icons": true, "packaging": true, "README.md": true,
		// the packages the work needs
		"cli": true, "pairing": true, "handoff": true, "clip": true,
		// the project's files
		"LICENSE": true, "VERSION": true, "Makefile": true, "docs": true, "scripts": true,
		"internal": true, ".ci": true, "tools.mod": true, "tools.sum": true,
		"rsrc_windows_amd64.syso": true, "rsrc_windows_arm64.syso": true,
		// released libraries with a patch until upstream has it, as
		// Tailscale keeps them (tempfork/README.md)
		"tempfork": true,
		".git":     true, ".gitignore": true,
		// build output that .gitignore keeps out of the repository
		"dist": true, "anykey": true, "anykey.exe": true,
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !allowed[e.Name()] {
			t.Errorf("unexpected top-level entry %q: put code in a package (cli/, internal/…) and keep the root to the design card's layout", e.Name())
		}
	}
}
