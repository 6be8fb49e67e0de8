//go:build anykey_e2e || anykey_testkeychain

package keystore

// buildService: a build for tests keeps its keys under [TestService],
// apart from the user's own. The end-to-end build (tag anykey_e2e) is one;
// a test that needs the shipped behaviour otherwise (packaging's temp
// binary refusal) builds with anykey_testkeychain alone. Only test helpers
// pass either tag to go build.
const buildService = TestService
