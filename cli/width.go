package cli

import (
	"unicode"

	"golang.org/x/text/width"
)

// displayWidth is the number of terminal columns s takes: two for East
// Asian wide and fullwidth characters (CJK, most emoji), none for
// combining marks, variation selectors and format characters (ZWJ), one
// for the rest. The widths are Unicode's East Asian Width property
// (UAX #11) from golang.org/x/text/width, which anykey already links for
// normalisation; go-runewidth gave the same columns for list's names but
// added a 2 MB table to the binary (docs/performance.md).
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
			continue
		case unicode.IsControl(r):
			continue // never printed: list strips control characters first
		}
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
