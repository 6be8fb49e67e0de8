package mcpconfig

import (
	"slices"
	"sort"
)

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// envFlags is one "FLAG K=V" pair per variable, sorted by name.
func envFlags(flag string, env map[string]string) []string {
	var out []string
	for _, k := range sortedKeys(env) {
		out = append(out, flag, k+"="+env[k])
	}
	return out
}

// claudeAdd is `claude mcp add-json -s user anytype JSON`, the form that
// needs no care about where -e may stand among the server's arguments.
func claudeAdd(e Entry) []string {
	return []string{"claude", "mcp", "add-json", "-s", "user", ServerName, string(marshal(stdioShape(e), "", ""))}
}

// vscodeAdd is `code --add-mcp JSON`, which adds to the user profile.
func vscodeAdd(e Entry) []string {
	v := struct {
		Name string `json:"name"`
		jsonEntry
	}{ServerName, stdioShape(e).(jsonEntry)}
	return []string{"code", "--add-mcp", string(marshal(v, "", ""))}
}

// codexAdd is `codex mcp add anytype --env K=V -- CMD ARGS`; Codex splits
// K=V at the first '=' only, so values may hold '='. It has no flag for
// env_vars, so an entry that needs them has no command.
func codexAdd(e Entry) []string {
	if len(e.EnvVars) > 0 {
		return nil
	}
	out := append([]string{"codex", "mcp", "add", ServerName}, envFlags("--env", e.Env)...)
	return append(append(out, "--", e.Command), e.Args...)
}

// geminiAdd is `gemini mcp add -s user -e K=V anytype CMD -- ARGS`: user
// scope (its default is the project); the name and the command go before
// "--" (after it, Gemini 0.61 finds one positional argument and refuses
// with "Not enough non-option arguments"), and "--" keeps the server's own
// flags from being read as Gemini's. Gemini cuts an -e value at a second
// '=', so the command is offered only when no value holds one.
func geminiAdd(e Entry) []string {
	for _, v := range e.Env {
		if slices.Contains([]byte(v), '=') {
			return nil
		}
	}
	out := append([]string{"gemini", "mcp", "add", "-s", "user"}, envFlags("-e", e.Env)...)
	return append(append(out, ServerName, e.Command, "--"), e.Args...)
}
