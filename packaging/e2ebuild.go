//go:build anykey_e2e

package packaging

// tempBinaryAllowed lets a binary in the temp dir name itself in login and
// MCP entries. Only the end-to-end tests build with the anykey_e2e tag:
// they run anykey from a private 0700 build directory under the temp dir,
// and need working entries from it. The shipped binary never has the tag;
// the refusal itself is tested on paths (TestNotInstalledReason) and on an
// untagged binary (TestMCPRefusesTempBinary in ./cli).
const tempBinaryAllowed = true
