package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedOutputIsCurrent regenerates every icon into a temp dir and
// requires the committed files under icons/ to be byte-identical, so a
// geometry change without `go generate ./icons/` fails here (and the
// generator is proven deterministic).
func TestCommittedOutputIsCurrent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := generate(dir); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		n++
		fresh, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		committed, err := os.ReadFile(filepath.Join("..", "..", rel))
		if err != nil {
			t.Errorf("%s: not committed: %v", rel, err)
			return nil
		}
		if !bytes.Equal(fresh, committed) {
			t.Errorf("%s differs from a fresh run; run go generate ./icons/", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Errorf("generator wrote only %d files", n)
	}
}

func TestGenerateTwiceIsIdentical(t *testing.T) {
	t.Parallel()
	a, err := files()
	if err != nil {
		t.Fatal(err)
	}
	b, err := files()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s: two runs differ", name)
		}
	}
}

func TestSVGRejectsKnockout(t *testing.T) {
	t.Parallel()
	if _, err := svg(templateScene(statePairing), "x"); err == nil {
		t.Error("svg accepted a knockout layer, which it cannot express")
	}
}
