package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageDocs fails when a package in the module has no package doc
// comment, or more than one (house style: one doc per package, saying what
// it is for and where to start), as Tailscale's pkgdoc_test.go does.
func TestPackageDocs(t *testing.T) {
	t.Parallel()
	docs := map[string][]string{} // dir -> files with a package doc
	seen := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (name == "testdata" || name == "dist" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		seen[dir] = true
		if f.Doc != nil && strings.TrimSpace(f.Doc.Text()) != "" {
			docs[dir] = append(docs[dir], filepath.Base(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
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
