//go:build anykey_e2e

package keystore

// buildService: the end-to-end build (tag anykey_e2e, passed only by the
// tests that build anykey) keeps its keys under [TestService], apart
// from the user's own.
const buildService = TestService
