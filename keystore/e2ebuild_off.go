//go:build !anykey_e2e

package keystore

// buildService: see e2ebuild.go.
const buildService = Service
