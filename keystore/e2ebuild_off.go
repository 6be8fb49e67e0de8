//go:build !anykey_e2e && !anykey_testkeychain

package keystore

// buildService: see e2ebuild.go.
const buildService = Service
