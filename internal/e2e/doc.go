// Package e2e holds cross-cutting end-to-end tests of the real anykey
// binary: the fault matrix at the CLI level, many processes at once, and
// measured secret hygiene. TestMain builds the binary once (with -race when
// the tests are built with it); each test gets its own HOME, config dir and
// TMPDIR, a fake Anytype server and, inside the desktop session
// (scripts/desktop-session.sh), the real Secret Service.
//
// The package has no non-test code; this file only carries the doc.
package e2e
