package cli

// The command line is defined once, here, as a spf13/cobra command tree:
// names, synopses, descriptions, flags and what each argument completes
// to. Everything else is made from it: the dispatch in run, the usage text
// and `anykey help COMMAND` (usage.go), the shell completion scripts and
// their answers (completion.go), and the man page (internal/manpage).
//
// cobra is the command table, not the parser: each command still parses
// its own arguments with the flag package (cli.flags), so that flag errors
// are worded as anykey words them (flagerr.go), `exec` leaves everything
// after `--` alone, and the exit statuses stay 0/1/2. Cobra parses only to
// answer completion requests (`anykey __complete …`), where its reading of
// flags is the point. TestFlagsMatchDefinition keeps the two in step.

import (
	"strings"
	"sync"

	"github.com/anykey-app/anykey/handoff"
	"github.com/anykey-app/anykey/handoff/mcpbridge"
	"github.com/anykey-app/anykey/handoff/mcpconfig"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Annotation keys of the command tree.
const (
	// annForms holds a command's further synopses, one a line, each
	// "SYNOPSIS<TAB>what it does": forms that Use, one line, cannot hold
	// (exec --mask, mcp --install).
	annForms = "anykey/forms"
	// annValue, on a flag, names its value in help ("--shell SHELL").
	annValue = "anykey/value"
	// annAPIURL marks a command that talks to Anytype or hands out its
	// URL: its help ends with the API URL paragraph.
	annAPIURL = "anykey/api-url"
)

// completionShells are the shells `anykey completion` writes scripts for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

// helpVariables is the list of variables env and exec set.
const helpVariables = `ANYTYPE_API_KEY, ANYTYPE_APP_KEY (older tools), ANYTYPE_API_BASE_URL,
OPENAPI_MCP_HEADERS (the JSON headers anytype-mcp reads)`

// helpAPIURL says where the API URL comes from and what is refused.
const helpAPIURL = `API URL: --api-url, else $ANYKEY_API_URL, else http://127.0.0.1:31009 (the
desktop app), or http://127.0.0.1:31012 (anytype-cli) when only that answers.
Each key remembers the URL it was made on; --api-url overrides it for one
run, set-url changes it for good. Only loopback URLs are accepted, and
nothing is sent to an API port another user's program holds;
$ANYKEY_TRUST_LISTENER_OWNER=USER allows one (e.g. anytype-cli run by a
service account). The clipboard is cleared after $ANYKEY_CLIP_TIME (seconds
or a duration such as 2m, at most 24h; 0 = never).`

// handler runs one command with its arguments (after the command name)
// and returns the exit status.
type handler func(*cli, []string) int

// tree is the command line's definition: the cobra tree, and the handler
// run calls for each of its commands.
type tree struct {
	root *cobra.Command
	run  map[*cobra.Command]handler
}

// definition is the tree run dispatches with, built once. It is only
// read: help and completion, which cobra lets change a tree (flags parsed,
// help flags added), build their own with newTree.
func definition() *tree {
	definitionOnce.Do(func() { definitionTree = newTree() })
	return definitionTree
}

var (
	definitionOnce sync.Once
	definitionTree *tree
)

// notRun is every command's Run: it marks the command runnable for
// cobra's help and completion. Commands are run by run, through tree.run,
// never by cobra.
func notRun(*cobra.Command, []string) {}

// command makes one command of the tree; h is what run calls for it.
func (t *tree) command(use, short, long string, h handler) *cobra.Command {
	cmd := &cobra.Command{
		Use:                   use,
		Short:                 short,
		Long:                  long,
		DisableFlagsInUseLine: true,
		ValidArgsFunction:     cobra.NoFileCompletions,
		Run:                   notRun,
	}
	t.run[cmd] = h
	return cmd
}

// usesAPIURL marks cmd as one whose help explains the API URL.
func usesAPIURL(cmd *cobra.Command) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[annAPIURL] = "yes"
	return cmd
}

// forms adds synopses beyond Use, each "SYNOPSIS\tdescription".
func forms(cmd *cobra.Command, lines ...string) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[annForms] = strings.Join(lines, "\n")
	return cmd
}

// commandTree builds the command tree anew, for a use that may change it.
func commandTree() *cobra.Command { return newTree().root }

// Definition returns the command line's definition, built anew, for
// generators: internal/manpage makes the man page from it. Its commands
// are run by anykey's own dispatch, not by cobra.
func Definition() *cobra.Command { return commandTree() }

// Forms returns cmd's synopses, each "SYNOPSIS<TAB>what it does", from
// Use and the further forms the tree notes for it (exec --mask, mcp
// --install, mcp serve).
func Forms(cmd *cobra.Command) []string { return commandForms(cmd) }

// FlagValue names the value flag f takes in synopses ("SHELL" for
// --shell SHELL), "" for a flag that takes none.
func FlagValue(f *pflag.Flag) string {
	if v := f.Annotations[annValue]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Notes, on the root command, are what the man page says beyond the
// commands, each a list of "TERM<TAB>text" lines: the variables anykey
// reads and sets, and the files it keeps.
const (
	NoteEnvironment = "anykey/environment"
	NoteFiles       = "anykey/files"
)

// newTree builds the command line's definition.
func newTree() *tree {
	t := &tree{run: map[*cobra.Command]handler{}}
	clients := mcpconfig.IDs()
	root := &cobra.Command{
		Use:   "anykey [--api-url URL] COMMAND [ARGS]",
		Short: "get API keys for Anytype's local API and keep them in the OS keychain",
		Long: `anykey pairs with the Anytype desktop app on this computer, asks it for an
API key for its local REST API, and keeps that key in the system keychain
(the Secret Service on Linux, such as GNOME Keyring or KWallet; the
Keychain on macOS; the Credential Manager on Windows) under a name you
choose. Only the non-secret facts about each key (name, API URL, creation
time) are kept in a file; the key itself never leaves the keychain except
on request.

With no command, or with tray, anykey starts its tray icon, from which keys
are made, copied and removed with native dialogs and notifications. The
commands do the same from a terminal and in scripts. Only data is written to
standard output; messages go to standard error, prefixed with "anykey:".
Exit status: 0 on success, 1 on failure, 2 on a usage error.`,
		Example: `anykey pair claude
anykey get claude
eval "$(anykey env claude)"
anykey mcp claude --install cursor
anykey exec claude -- sh -c 'curl -H "Authorization: Bearer $ANYTYPE_API_KEY" $ANYTYPE_API_BASE_URL/v1/spaces'`,
		DisableFlagsInUseLine: true,
		CompletionOptions:     cobra.CompletionOptions{DisableDefaultCmd: true},
		ValidArgsFunction:     cobra.NoFileCompletions,
	}
	root.Annotations = map[string]string{
		NoteEnvironment: strings.Join([]string{
			"ANYKEY_API_URL\tThe default for --api-url.",
			"ANYKEY_CLIP_TIME\tHow long a copied key stays on the clipboard: seconds or a duration such as 2m, at most 24h; 0 means never clear.",
			"ANYKEY_TRUST_LISTENER_OWNER\tA USER whose program may hold the API port (e.g. anytype-cli run by a service account); keys are sent to no other user's.",
			"ANYKEY_CONFIG_DIR\tThe config directory (holding keys.json) when it is not $XDG_CONFIG_HOME/anykey. MCP entries set it, since clients start servers without XDG_CONFIG_HOME.",
			"XDG_CONFIG_HOME\tWhere the key list and the autostart entry live (default ~/.config).",
			"ANYTYPE_API_KEY, ANYTYPE_APP_KEY, ANYTYPE_API_BASE_URL, OPENAPI_MCP_HEADERS\tSet by env and exec: the key (ANYTYPE_APP_KEY for older tools), the API URL, and the JSON headers anytype-mcp reads.",
		}, "\n"),
		NoteFiles: strings.Join([]string{
			"$XDG_CONFIG_HOME/anykey/keys.json\tNames, API URLs and creation times of the saved keys (no secrets).",
			"$XDG_CONFIG_HOME/autostart/anykey.desktop\tPresent while the tray starts at login (Linux).",
		}, "\n"),
	}
	root.PersistentFlags().String("api-url", "", "the Anytype API to talk to: a loopback URL such as http://127.0.0.1:31009")
	_ = root.PersistentFlags().SetAnnotation("api-url", annValue, []string{"URL"})
	fixed(root, "api-url", nil)
	root.Flags().Bool("version", false, "print anykey and its version")

	pair := usesAPIURL(t.command("pair NAME [--force]", "pair with Anytype and save the key as NAME",
		`Pair with Anytype and save the new key as NAME. Anytype shows a four-digit
code; type it when asked. The key is saved in the keychain under NAME before
anything else happens to it.

Names are stored in Unicode NFC; a name that differs from a saved one only in
case or Unicode form is the same name. A new name may not start with "-". The
code may be typed with spaces or hyphens, or in full-width digits; an answer
that is not a 4-digit code is never sent to Anytype.`, (*cli).cmdPair))
	pair.Flags().Bool("force", false, "replace a saved key of that name")

	rotate := usesAPIURL(t.command("rotate NAME", "pair a new key under NAME (expired, Limited, legacy); the old one stays until the new one is saved",
		`Pair a new key under the saved NAME, at the API URL saved with it: one
pairing request, with the rules of pair. The saved key is replaced only once
the new one is saved; a rotation that fails leaves the old key working. The
old key keeps working in Anytype until it is revoked there (Settings → API
Keys; the two keys share the name, their dates tell them apart). It is the
answer to an expired key, a Limited one, and Anytype's notice about legacy
keys.`, (*cli).cmdRotate))
	keyArg(rotate)

	add := usesAPIURL(t.command("add NAME [--force] [--no-verify]", "save a key made elsewhere (Anytype's Settings → API Keys → Create new), read from stdin",
		`Save a key made elsewhere (Anytype's Settings → API Keys → Create new), read
from standard input. A byte-order mark, invisible characters and white space
at either end are dropped; a key that still holds anything
outside printable ASCII is refused. The key is checked against Anytype first
unless --no-verify is given.`, (*cli).cmdAdd))
	add.Flags().Bool("force", false, "replace a saved key of that name")
	add.Flags().Bool("no-verify", false, "save the key without checking it against Anytype")

	list := t.command("list [--json]", "saved keys: name, API URL, created — never a secret",
		`Print the saved keys: name, API URL, creation time and scope, never a
secret. The names come from keys.json; the keychain is not asked.`, (*cli).cmdList)
	list.Aliases = []string{"ls"}
	list.Flags().Bool("json", false, "print a JSON array instead of a table")

	get := t.command("get NAME", "print the key and a newline, nothing else",
		`Print the key and a newline, nothing else, for a script to read.`, (*cli).cmdGet)
	keyArg(get)

	cp := usesAPIURL(t.command("copy NAME [--clear-after DURATION]", "copy the key to the clipboard; clear it after 45 s if it still holds the key",
		`Copy the key to the clipboard, and clear the clipboard after 45 seconds (or
$ANYKEY_CLIP_TIME, or DURATION) if it still holds the key. A later copy, from
any anykey process, cancels the clears still pending.`, (*cli).cmdCopy))
	keyArg(cp)
	valueFlag(cp, "clear-after", "DURATION", "", "clear the clipboard after DURATION (seconds or e.g. 2m; 0 = never; at most 24h)", nil)

	env := usesAPIURL(t.command("env NAME [--shell sh|fish|powershell]", "print lines that export the key's variables (ANYTYPE_API_KEY…)",
		`Print lines that export the variables below for the key, for eval in a
shell (default sh; on Windows powershell, or sh under Git Bash).

Variables set:
`+indent(helpVariables), (*cli).cmdEnv))
	keyArg(env)
	valueFlag(env, "shell", "SHELL", "", "the shell to write for: "+strings.Join(handoff.Shells, ", ")+" (default sh; on Windows powershell, or sh under Git Bash)", handoff.Shells)

	ex := usesAPIURL(forms(t.command("exec NAME -- CMD [ARGS...]", "run CMD with the key's variables set; exit with CMD's status",
		`Run CMD with the variables below set. Nothing after "--" is read by anykey.
On Unix anykey replaces itself with CMD (execve), so signals reach it once and
its exit status is anykey's; on Windows CMD runs as a child and anykey exits
with its status. A command that is not found exits 127, one that cannot be
run 126.

With --mask, CMD runs as a child whose standard error passes through a filter
that replaces the key with "<masked by anykey>"; standard input and output
are CMD's own. Signals are passed on once; on Linux CMD is killed when anykey
dies. MCP client entries use this form.

Variables set:
`+indent(helpVariables), (*cli).cmdExec),
		"exec --mask NAME -- CMD [ARGS...]\tthe same, with the key masked in CMD's stderr (MCP servers)"))
	ex.Flags().Bool("mask", false, "mask the key in CMD's standard error")
	ex.ValidArgsFunction = completeExec

	mcp := usesAPIURL(forms(t.command("mcp NAME [--client CLIENT] [--inline]", "print an MCP client entry (it runs mcp serve NAME) that holds no key",
		`Print an MCP client entry in CLIENT's shape (default claude-desktop). The
entry holds no key: it runs anykey mcp serve NAME, which reads the key from
the keychain when the client starts the server. --inline prints an entry with
the key in plain text instead, with a warning.

--install adds the entry to CLIENT's user-level config file, keeping
everything else in it (comments too), with a backup of the previous file
beside it (FILE.anykey-backup). A file that does not parse, or is read-only,
is left unchanged; an "anytype" entry that is not anykey's for NAME is
replaced only with --force. --uninstall removes it. Clients that keep their
servers elsewhere are told where to add the entry by hand.

`+wrap("Clients: "+strings.Join(clients, ", ")+".", 78), (*cli).cmdMCP),
		"mcp NAME --install|--uninstall CLIENT [--force]\tadd it to (remove it from) CLIENT's config file",
		"mcp --clients\tMCP clients, their config files here, and what they hold (old or dead entries too)"))
	keyArg(mcp)
	valueFlag(mcp, "client", "CLIENT", mcpconfig.DefaultClient, "print the entry in CLIENT's shape", clients)
	mcp.Flags().Bool("inline", false, "put the key itself in the entry (plain text; warned)")
	valueFlag(mcp, "install", "CLIENT", "", "add the entry to CLIENT's config file", clients)
	valueFlag(mcp, "uninstall", "CLIENT", "", "remove anykey's entry from CLIENT's config file", clients)
	mcp.Flags().Bool("force", false, "with --install: replace an entry that is not anykey's")
	mcp.Flags().Bool("clients", false, "list the MCP clients, their config files and what they hold")

	serve := usesAPIURL(t.command("serve NAME [--tier small|large|full]", "the stdio MCP server a client entry runs: Anytype's own MCP endpoint (default tier large), else anytype-mcp",
		`The stdio MCP server that client entries run. It reads NAME's key from the
keychain and serves Anytype's own MCP endpoint at /mcp/TIER when Anytype has
one, else it runs anytype-mcp with the key, masked in its standard error.
Standard output is the JSON-RPC channel; messages go to standard error.`, (*cli).cmdMCPServe))
	keyArg(serve)
	valueFlag(serve, "tier", "TIER", mcpbridge.DefaultTier, "the endpoint's tier: "+strings.Join(mcpbridge.Tiers, ", "), mcpbridge.Tiers)
	mcp.AddCommand(serve)

	verify := usesAPIURL(t.command("verify [NAME]", "check one or all keys: valid / rejected / unreachable / missing or locked in keychain",
		`Check one key, or all, against Anytype: valid (saying when a key works only
on Anytype's /v2 API), rejected, unreachable, or missing or locked in the
keychain. With no NAME the last line sums up, and the exit status is 0 only
when every key was confirmed valid. A rejected key ends with a hint.`, (*cli).cmdVerify))
	keyArg(verify)

	rm := t.command("rm NAME", "forget the key here, and say how to revoke it in Anytype",
		`Forget the key on this computer (keychain and keys.json), and say how to
revoke it in Anytype.`, (*cli).cmdRm)
	keyArg(rm)

	setURL := usesAPIURL(t.command("set-url NAME URL", "change the API URL saved with a key (Anytype moved to another port)",
		`Change the API URL saved with a key, for when Anytype moved to another
port. Only loopback URLs are accepted.`, (*cli).cmdSetURL))
	keyArg(setURL)

	autostart := t.command("autostart on|off|status", "start the tray at login",
		`Start the tray at login, stop doing so, or tell whether it does (on Linux an
XDG autostart entry in $XDG_CONFIG_HOME/autostart).`, (*cli).cmdAutostart)
	autostart.ValidArgs = []string{"on", "off", "status"}
	autostart.ValidArgsFunction = nil

	doctor := t.command("doctor [--json]", "check this desktop: every piece anykey uses, and what to do for each that is missing",
		`Check this desktop: the session bus and who runs it, the Secret Service
(provider, default collection, locked or not), the notification daemon, the
tray host, the dialog and clipboard tools, Anytype at each candidate URL (who
owns the listener, the API version, whether it serves its own MCP endpoint),
the config, start at login and the MCP clients' entries. Each piece that is
missing comes with the one thing to do. Nothing is changed, unlocked or sent
a key. Exit status 0 when pairing and handing keys out work here, 1 when
something they need is missing; optional pieces are warnings.`, (*cli).cmdDoctor)
	doctor.Flags().Bool("json", false, "print the same findings as JSON, for a bug report")

	tray := usesAPIURL(t.command("tray", "start the tray (also what anykey does with no command)",
		`Start the tray; it is also what anykey does with no command. A second start
in the same session says that one is already running and exits with status 0.`, (*cli).cmdTray))

	completion := t.command("completion bash|zsh|fish|powershell", "print a shell completion script",
		`Print a completion script. The packages install the bash, zsh and fish
scripts; by hand: source <(anykey completion bash) in ~/.bashrc,
anykey completion zsh > "${fpath[1]}/_anykey" for zsh, or
anykey completion fish > ~/.config/fish/completions/anykey.fish for fish.
Key names come from keys.json only, never from the keychain.`, (*cli).cmdCompletion)
	completion.ValidArgs = completionShells
	completion.ValidArgsFunction = nil

	version := t.command("version", "print anykey's version", "Print anykey and its version.", (*cli).cmdVersion)

	help := t.command("help [COMMAND]", "this text, or one command's usage (also: anykey COMMAND --help)",
		`Print the usage summary, or one command's usage (also anykey COMMAND --help).`, (*cli).cmdHelp)
	help.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, c := range cmd.Root().Commands() {
			if c.IsAvailableCommand() && strings.HasPrefix(c.Name(), toComplete) {
				out = append(out, cobra.CompletionWithDesc(c.Name(), c.Short))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}

	// The order of the usage text.
	root.AddCommand(pair, rotate, add, list, get, cp, env, ex, mcp, verify, rm, setURL,
		autostart, doctor, tray, completion, version)
	root.SetHelpCommand(help)
	root.InitDefaultHelpCmd()
	t.root = root
	return t
}

func init() {
	// Commands keep the order they are added in: the usage text's.
	cobra.EnableCommandSorting = false
}

// wrap breaks s into lines of at most width bytes, at spaces.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		switch {
		case i == 0:
		case n+1+len(w) > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

// indent indents each line of s by two spaces.
func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// lookupCommand finds the command named name (or an alias) among root's
// commands, nil if there is none.
func lookupCommand(root *cobra.Command, name string) *cobra.Command {
	for _, c := range root.Commands() {
		if c.Name() == name || c.HasAlias(name) {
			return c
		}
	}
	return nil
}
