// Package realclients holds the tests that run real MCP clients — Claude
// Code, Gemini CLI and Codex, installed from the npm registry at pinned
// versions by scripts/test.sh's realclients step — against anykey's keyless
// entry and the fake Anytype, with and without Anytype's own MCP endpoint.
// The tests build only with the realclients tag; the package has no code.
package realclients
