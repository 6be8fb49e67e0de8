package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/anykey-app/anykey/handoff"
	"github.com/anykey-app/anykey/handoff/mcpconfig"
	"github.com/anykey-app/anykey/keystore"
)

// completionShells are the shells `anykey completion` writes scripts for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

// commandFlags are each command's flags, for completion.
var commandFlags = map[string][]string{
	"pair":       {"--force"},
	"add":        {"--force", "--no-verify"},
	"list":       {"--json"},
	"ls":         {"--json"},
	"copy":       {"--clear-after"},
	"env":        {"--shell"},
	"exec":       {"--mask"},
	"mcp":        {"--client", "--inline", "--install", "--uninstall", "--force", "--clients"},
	"completion": {},
	"doctor":     {"--json"},
}

// keyCommands take a saved key's name.
var keyCommands = []string{"get", "copy", "env", "exec", "mcp", "verify", "rotate", "rm"}

// cmdCompletion prints a completion script, or with --keys the saved key
// names, one a line, read from keys.json alone: completion never asks the
// keychain and never sees a secret.
func (c *cli) cmdCompletion(args []string) int {
	if len(args) == 1 && args[0] == "--keys" {
		dir, err := keystore.DefaultDir()
		if err != nil {
			return exitFailure
		}
		names, err := keystore.IndexNames(dir)
		if err != nil {
			return exitFailure
		}
		sort.Strings(names)
		for _, n := range names {
			// keys.json may be edited by hand: a name that breaks the
			// naming rules is never handed out, and one with a TAB or a
			// line break would reach the shell cut in two (fish reads a
			// TAB as the start of a description), offering another key.
			if keystore.ValidateName(n) == nil {
				fmt.Fprintln(c.stdout, n)
			}
		}
		return exitOK
	}
	pos, err := c.flags(newFlags("completion"), args, 1, 1)
	if err != nil {
		return parseExit(err)
	}
	var script string
	switch pos[0] {
	case "bash":
		script = bashCompletion()
	case "zsh":
		script = zshCompletion()
	case "fish":
		script = fishCompletion()
	case "powershell", "pwsh":
		script = powershellCompletion()
	default:
		return c.usageError(fmt.Sprintf("completion: unknown shell %q (%s)", pos[0], strings.Join(completionShells, ", ")))
	}
	fmt.Fprint(c.stdout, script)
	return exitOK
}

func commandNames() []string {
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func words(s []string) string { return strings.Join(s, " ") }

// flagCases is a case statement body mapping commands to their flags.
func flagCases(format string) string {
	var b strings.Builder
	for _, cmd := range commandNames() {
		if f, ok := commandFlags[cmd]; ok && len(f) > 0 {
			fmt.Fprintf(&b, format, cmd, words(f))
		}
	}
	return b.String()
}

func bashCompletion() string {
	return `# bash completion for anykey (anykey completion bash)
_anykey() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmd="" i j flags=""
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--api-url) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [[ $cmd == exec ]]; then
		for ((j = i + 1; j < COMP_CWORD; j++)); do
			if [[ ${COMP_WORDS[j]} == -- ]]; then
				COMPREPLY=($(compgen -c -- "$cur"))
				return
			fi
		done
	fi
	case $prev in
	--client | --install | --uninstall) COMPREPLY=($(compgen -W "` + words(mcpconfig.IDs()) + `" -- "$cur")); return ;;
	--shell) COMPREPLY=($(compgen -W "` + words(handoff.Shells) + `" -- "$cur")); return ;;
	--api-url | --clear-after) return ;;
	esac
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "` + words(commandNames()) + ` --api-url --help --version" -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		case $cmd in
` + flagCases("\t\t%s) flags=%q ;;\n") + `		esac
		COMPREPLY=($(compgen -W "$flags --help" -- "$cur"))
		return
	fi
	case $cmd in
	` + strings.Join(keyCommands, " | ") + `)
		# Not compgen -W: it expands each word, so a key named $(cmd) in
		# keys.json would run cmd. Names are offered quoted for the line.
		local k q
		while IFS= read -r k; do
			printf -v q '%q' "$k"
			[[ $k == "$cur"* || $q == "$cur"* ]] && COMPREPLY+=("$q")
		done < <(anykey completion --keys 2>/dev/null) ;;
	autostart) COMPREPLY=($(compgen -W "on off status" -- "$cur")) ;;
	completion) COMPREPLY=($(compgen -W "` + words(completionShells) + `" -- "$cur")) ;;
	esac
}
complete -F _anykey anykey
`
}

func zshCompletion() string {
	return `#compdef anykey
# zsh completion for anykey (anykey completion zsh)
_anykey() {
	local cmd="" i j
	local -a flags keys
	for ((i = 2; i < CURRENT; i++)); do
		case ${words[i]} in
		--api-url) ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done
	if [[ $cmd == exec ]]; then
		for ((j = i + 1; j < CURRENT; j++)); do
			if [[ ${words[j]} == -- ]]; then
				compadd -- ${(k)commands}
				return
			fi
		done
	fi
	case ${words[CURRENT-1]} in
	--client | --install | --uninstall) compadd -- ` + words(mcpconfig.IDs()) + `; return ;;
	--shell) compadd -- ` + words(handoff.Shells) + `; return ;;
	--api-url | --clear-after) return ;;
	esac
	if [[ -z $cmd ]]; then
		if [[ $PREFIX == -* ]]; then
			compadd -- --api-url --help --version
		else
			compadd -- ` + words(commandNames()) + `
		fi
		return
	fi
	if [[ $PREFIX == -* ]]; then
		case $cmd in
` + flagCases("\t\t%s) flags=(%s) ;;\n") + `		esac
		compadd -- $flags --help
		return
	fi
	case $cmd in
	` + strings.Join(keyCommands, " | ") + `)
		keys=(${(f)"$(anykey completion --keys 2>/dev/null)"})
		compadd -- $keys ;;
	autostart) compadd -- on off status ;;
	completion) compadd -- ` + words(completionShells) + ` ;;
	esac
}
if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
	_anykey "$@"
else
	compdef _anykey anykey
fi
`
}

func fishCompletion() string {
	var b strings.Builder
	b.WriteString(`# fish completion for anykey (anykey completion fish)
function __anykey_cmd
	set -l toks (commandline -opc)
	set -e toks[1]
	while set -q toks[1]
		switch $toks[1]
			case --api-url
				set -e toks[1]
			case '-*'
			case '*'
				echo $toks[1]
				return
		end
		set -e toks[1]
	end
end
function __anykey_is
	set -l cmd (__anykey_cmd)
	contains -- "$cmd" $argv
end
function __anykey_after_dashdash
	contains -- -- (commandline -opc)
end
complete -c anykey -f
complete -c anykey -n 'test -z "$(__anykey_cmd)"' -a '` + words(commandNames()) + `'
complete -c anykey -n 'test -z "$(__anykey_cmd)"' -l api-url -r
complete -c anykey -n 'test -z "$(__anykey_cmd)"' -l version
complete -c anykey -l help
# fish escapes what it inserts but a leading ~ (so that ~user completes), so
# a key named ~root would become /root on the line: such names are left out.
complete -c anykey -n '__anykey_is ` + words(keyCommands) + `; and not __anykey_after_dashdash' -a '(anykey completion --keys 2>/dev/null | string match -v -- "~*")'
complete -c anykey -n '__anykey_is exec; and __anykey_after_dashdash' -a '(__fish_complete_command)'
complete -c anykey -n '__anykey_is autostart' -a 'on off status'
complete -c anykey -n '__anykey_is completion' -a '` + words(completionShells) + `'
`)
	for _, cmd := range commandNames() {
		for _, f := range commandFlags[cmd] {
			line := fmt.Sprintf("complete -c anykey -n '__anykey_is %s' -l %s", cmd, strings.TrimPrefix(f, "--"))
			switch f {
			case "--client", "--install", "--uninstall":
				line += " -x -a '" + words(mcpconfig.IDs()) + "'"
			case "--shell":
				line += " -x -a '" + words(handoff.Shells) + "'"
			case "--clear-after":
				line += " -x"
			}
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func powershellCompletion() string {
	var flags strings.Builder
	for _, cmd := range commandNames() {
		if f, ok := commandFlags[cmd]; ok && len(f) > 0 {
			fmt.Fprintf(&flags, "\t\t'%s' = @('%s')\n", cmd, strings.Join(f, "', '"))
		}
	}
	return `# PowerShell completion for anykey (anykey completion powershell)
Register-ArgumentCompleter -Native -CommandName anykey, anykey.exe -ScriptBlock {
	param($wordToComplete, $commandAst, $cursorPosition)
	$commands = @('` + strings.Join(commandNames(), "', '") + `')
	$flags = @{
` + flags.String() + `	}
	$keyCommands = @('` + strings.Join(keyCommands, "', '") + `')
	$clients = @('` + strings.Join(mcpconfig.IDs(), "', '") + `')
	$words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
	if ($wordToComplete -ne '' -and $words.Count -gt 0) { $words = @($words | Select-Object -SkipLast 1) }
	$cmd = $null
	$names = $false
	for ($i = 0; $i -lt $words.Count; $i++) {
		if ($words[$i] -eq '--api-url') { $i++; continue }
		if (-not $words[$i].StartsWith('-')) { $cmd = $words[$i]; break }
	}
	$prev = if ($words.Count -gt 0) { $words[-1] } else { '' }
	$candidates = @()
	if ($prev -in '--client', '--install', '--uninstall') { $candidates = $clients }
	elseif ($prev -eq '--shell') { $candidates = @('` + strings.Join(handoff.Shells, "', '") + `') }
	elseif (-not $cmd) { $candidates = $commands + @('--api-url', '--help', '--version') }
	elseif ($wordToComplete.StartsWith('-')) { $candidates = @($flags[$cmd]) + @('--help') }
	elseif ($cmd -in $keyCommands) { $candidates = @(& anykey completion --keys 2>$null); $names = $true }
	elseif ($cmd -eq 'autostart') { $candidates = @('on', 'off', 'status') }
	elseif ($cmd -eq 'completion') { $candidates = @('` + strings.Join(completionShells, "', '") + `') }
	$candidates | Where-Object { $_.StartsWith($wordToComplete) } | ForEach-Object {
		$text = $_
		# Key names come from keys.json: one with a character PowerShell
		# reads ($, (, ;, a space, a quote...) is inserted quoted, literally.
		if ($names -and $_ -notmatch '^[\w.:=+][\w.:=+-]*$') {
			$text = "'" + ($_ -replace "['\u2018\u2019\u201a\u201b]", '$0$0') + "'"
		}
		[System.Management.Automation.CompletionResult]::new($text, $_, 'ParameterValue', $_)
	}
}
`
}
