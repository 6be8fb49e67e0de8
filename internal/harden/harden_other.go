//go:build !unix

package harden

// noCoreDumps does nothing on Windows: a crash there goes to Windows Error
// Reporting, which keeps no full dump unless LocalDumps is configured by
// an administrator (docs/security.md).
func noCoreDumps() (func(), error) { return func() {}, nil }
