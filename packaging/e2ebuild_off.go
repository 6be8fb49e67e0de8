//go:build !anykey_e2e

package packaging

// tempBinaryAllowed: see e2ebuild.go.
const tempBinaryAllowed = false
