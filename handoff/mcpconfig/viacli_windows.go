package mcpconfig

import (
	"os/exec"
	"path/filepath"
	"strings"
)

// throughCmd reports whether running the client's program would go through
// cmd.exe: on Windows a .cmd or .bat file — npm installs Claude Code as
// claude.cmd — is run by cmd.exe, which reads the command line again and
// takes &, |, <, >, ^ and % in any argument (a key name such as "R&D" in
// the entry's JSON) as its own operators. Go quotes arguments for the C
// runtime's parser, not for cmd.exe, and no quoting survives both cmd.exe's
// first pass and the shim's %* reliably. Then anykey writes the client's
// file itself, as for every other client.
func throughCmd(program string) bool {
	p, err := exec.LookPath(program)
	if err != nil {
		return false
	}
	ext := strings.ToLower(filepath.Ext(p))
	return ext == ".cmd" || ext == ".bat"
}
