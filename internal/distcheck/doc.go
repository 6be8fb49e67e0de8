// Package distcheck checks the artifacts that scripts/dist.sh leaves in
// dist/: the Windows executables (subsystem, icon, manifest and version
// resources, read back with debug/pe) and the macOS bundle's Info.plist.
//
// The checks are tests; they run when ANYKEY_DIST_DIR names a dist directory
// (scripts/check-dist.sh sets it), skip otherwise, and fail under CI when it
// is missing. The parsers they use are [Resources], [ParseVersionInfo] and
// [ParsePlist].
package distcheck
