package keystore

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Names that look the same are the same name, on every OS. Windows'
// Credential Manager ignores case, so "Work" and "work" would share one
// secret there; and "café" typed as one code point (NFC) or as "e" plus a
// combining accent (NFD, what macOS file names and some input methods give)
// looks identical in `list`. So anykey stores names NFC-normalised, and two
// names are the same when they are equal after NFC normalisation and Unicode
// case folding. Lookups try the exact name first, so an index written by an
// older anykey that holds both "Work" and "work" keeps both reachable.

// NormalizeName returns name in Unicode Normalization Form C, the form
// anykey stores names in.
func NormalizeName(name string) string { return norm.NFC.String(name) }

// nameKey is what two names are compared by: NFC, then Unicode simple case
// folding (each rune mapped to the smallest rune of its case orbit, as
// strings.EqualFold compares: "Work" = "WORK", "σ" = "ς" = "Σ"), then NFC
// again, since folding can denormalise. Simple, not full, folding: it is
// what Windows' Credential Manager does (a rune-for-rune upper-casing
// compare, so "Straße" and "STRASSE" are two names there too), and full
// folding (golang.org/x/text/cases) cost 250 KB of binary.
func nameKey(name string) string {
	return norm.NFC.String(strings.Map(foldRune, norm.NFC.String(name)))
}

// foldRune maps r to the smallest rune that unicode.SimpleFold cycles
// through from r: one representative per case orbit.
func foldRune(r rune) rune {
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m = min(m, f)
	}
	return m
}

// SameName reports whether a and b name the same key: equal after NFC
// normalisation and case folding.
func SameName(a, b string) bool { return a == b || nameKey(a) == nameKey(b) }

// ValidateNewName checks a name for a key about to be created: the rules of
// [ValidateName], no leading '-', which command lines would read as a
// flag (`anykey exec -rf -- …`), and no leading combining mark (U+0301
// alone). Names saved before this rule stay usable:
// only new names are checked. The error wraps [ErrInvalidName].
func ValidateNewName(name string) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	if strings.HasPrefix(name, "-") {
		return fmt.Errorf("%w: %q starts with '-'", ErrInvalidName, name)
	}
	if r, _ := utf8.DecodeRuneInString(name); unicode.Is(unicode.M, r) {
		// A lone accent joins whatever is shown before the name: the
		// opening quote of a message, the column before it.
		return fmt.Errorf("%w: %q starts with a combining mark", ErrInvalidName, name)
	}
	return nil
}

// IndexNames returns the key names in dir's keys.json, sorted, reading
// only that file: never the keychain, never a secret. Shell completion uses
// it. A missing keys.json gives no names and no error.
func IndexNames(dir string) ([]string, error) {
	entries, err := readIndex(filepath.Join(dir, indexName))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name)
	}
	return names, nil
}
