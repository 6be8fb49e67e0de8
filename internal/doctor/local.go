package doctor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/anykey-app/anykey/handoff/mcpconfig"
	"github.com/anykey-app/anykey/internal/textsafe"
	"github.com/anykey-app/anykey/keystore"
	"github.com/anykey-app/anykey/packaging"
)

var osGetenv = os.Getenv

// localResult is what anykey's own files say: findings, and the API URLs
// the saved keys use.
type localResult struct {
	findings []Finding
	keyURLs  []string
}

// checkLocal checks the config dir and keys.json, start at login and the
// MCP clients' entries. It reads files only.
func checkLocal(ctx context.Context, o Options) localResult {
	cctx, cancel := context.WithTimeout(ctx, o.timeout())
	defer cancel()
	cfg, urls := checkConfig(cctx, o)
	r := localResult{keyURLs: urls}
	r.findings = append(r.findings, cfg, checkAutostart())
	r.findings = append(r.findings, checkMCPClients(o)...)
	return r
}

// checkConfig reports the config dir and keys.json. It does not change the
// dir's mode (every other command tightens it to 0700; doctor only says).
func checkConfig(ctx context.Context, o Options) (Finding, []string) {
	f := Finding{Piece: PieceConfig, Title: "Config", Facts: map[string]string{}}
	dir := o.ConfigDir
	if dir == "" {
		d, err := keystore.DefaultDir()
		if err != nil {
			f.Status = Missing
			f.Found = "no config dir: " + err.Error()
			f.Fix = "set HOME (or XDG_CONFIG_HOME, or " + keystore.EnvDir + ") to an absolute path"
			return f, nil
		}
		dir = d
	}
	f.Facts["dir"] = dir
	index := filepath.Join(dir, "keys.json")
	f.Facts["keys_json"] = index
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.Status = OK
		f.Found = dir + " does not exist yet (the first saved key creates it)"
		return f, nil
	case err != nil:
		f.Status, f.Found, f.Fix = Missing, err.Error(), "make "+dir+" a directory you own"
		return f, nil
	case !fi.IsDir():
		f.Status, f.Found, f.Fix = Missing, dir+" is not a directory", "move "+dir+" away"
		return f, nil
	}
	st, err := keystore.Open(dir)
	if err != nil {
		f.Status, f.Found = Missing, err.Error()
		return f, nil
	}
	entries, err := st.List(ctx)
	var urls []string
	missing, locked := 0, 0
	for _, e := range entries {
		if e.Invalid == "" && e.APIURL != "" {
			urls = append(urls, e.APIURL)
		}
		if e.Missing {
			missing++
		}
		if e.Locked {
			locked++
		}
	}
	f.Facts["keys"] = fmt.Sprint(len(entries))
	switch {
	case errors.Is(err, keystore.ErrCorruptIndex):
		f.Status = Missing
		f.Found = index + " cannot be read: " + textsafe.Terminal(err.Error())
		f.Fix = "move " + index + " away; the keys stay in the keychain"
		return f, nil
	case err != nil && len(entries) == 0 && !errors.Is(err, keystore.ErrUnavailable):
		f.Status = Missing
		f.Found = textsafe.Terminal(err.Error())
		f.Fix = "make " + dir + " readable and writable by you"
		return f, nil
	}
	f.Status = OK
	f.Found = fmt.Sprintf("%s: %s", dir, plural(len(entries), "key"))
	if missing > 0 {
		f.Found += fmt.Sprintf(", %d gone from the keychain", missing)
		f.Status = Warning
		f.Fix = "anykey verify names them; anykey rm NAME forgets one"
	}
	if locked > 0 {
		f.Found += fmt.Sprintf(", %d in a locked keychain", locked)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		f.Status = Warning
		f.Found += fmt.Sprintf("; mode %04o, open to other users", fi.Mode().Perm())
		f.Fix = "chmod 700 " + dir
	}
	return f, urls
}

// checkAutostart reports the start-at-login entry and whether the program
// it starts is still there (a binary run with go run, or moved, is gone).
func checkAutostart() Finding {
	f := Finding{Piece: PieceAutostart, Title: "Start at login", Facts: map[string]string{}}
	path, err := packaging.AutostartPath()
	if errors.Is(err, packaging.ErrUnsupported) {
		f.Status, f.Found = Info, "not supported on this system"
		return f
	}
	if err != nil {
		f.Status, f.Found = Warning, err.Error()
		f.Fix = "set HOME to your home directory"
		return f
	}
	f.Facts["entry"] = path
	on, err := packaging.AutostartEnabled()
	if err != nil {
		f.Status, f.Found, f.Fix = Warning, err.Error(), "anykey autostart on writes it again"
		return f
	}
	if !on {
		f.Status, f.Found = Info, "off (anykey autostart on turns it on)"
		return f
	}
	prog, err := packaging.AutostartProgram()
	if err != nil {
		f.Status, f.Found, f.Fix = Warning, "on, but "+err.Error(), "anykey autostart on writes it again"
		return f
	}
	f.Facts["program"] = prog
	if _, err := os.Stat(prog); err != nil {
		f.Status = Warning
		f.Found = fmt.Sprintf("on, but it starts %s, which is gone", textsafe.Terminal(prog))
		f.Fix = "run anykey autostart on from the anykey you keep"
		return f
	}
	f.Status, f.Found = OK, "on: "+path+" starts "+textsafe.Terminal(prog)
	return f
}

// checkMCPClients reports each MCP client whose file holds an "anytype"
// entry, and whether the program that entry starts is still there.
func checkMCPClients(o Options) []Finding {
	home, _ := os.UserHomeDir()
	if !filepath.IsAbs(home) {
		return []Finding{{Piece: PieceMCPClient, Title: "MCP clients", Status: Warning,
			Found: "HOME is not an absolute path, so the clients' files cannot be found",
			Fix:   "set HOME to your home directory"}}
	}
	env := mcpconfig.Env{OS: runtime.GOOS, Home: home, Getenv: o.Getenv}
	var out []Finding
	for _, c := range mcpconfig.Clients() {
		st, err := c.ReadStatus(env)
		f := Finding{Piece: PieceMCPClient, Title: "MCP client", Where: c.Name, Facts: map[string]string{"client": c.ID, "file": st.File}}
		switch {
		case err != nil:
			f.Status, f.Found = Warning, textsafe.Terminal(err.Error())
			f.Fix = "fix or move " + st.File + " away; the client cannot read it either"
		case st.Entry == nil:
			continue
		default:
			f.Facts["command"] = st.Entry.Command
			who := "an entry not made by anykey"
			if st.Ours {
				who = fmt.Sprintf("anykey's entry for key %q", textsafe.Terminal(st.Key))
			}
			if path, ok := findCommand(st.Entry.Command); !ok {
				f.Status = Warning
				f.Found = fmt.Sprintf("%s starts %s, which is gone", who, textsafe.Terminal(st.Entry.Command))
				f.Fix = "anykey mcp KEY --install " + c.ID + " --force writes it again"
				if st.Ours {
					f.Fix = fmt.Sprintf("anykey mcp %s --install %s --force writes it again", st.Key, c.ID)
				}
			} else {
				f.Status, f.Found = OK, fmt.Sprintf("%s, starts %s", who, textsafe.Terminal(path))
			}
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		out = append(out, Finding{Piece: PieceMCPClient, Title: "MCP clients", Status: Info,
			Found: "no client's file holds an anytype entry (anykey mcp --clients lists them)"})
	}
	return out
}

// findCommand finds an entry's command the way a client would: a path as
// it is, a bare name on PATH.
func findCommand(cmd string) (string, bool) {
	if cmd == "" {
		return "", false
	}
	if strings.ContainsAny(cmd, `/\`) {
		_, err := os.Stat(cmd)
		return cmd, err == nil
	}
	p, err := exec.LookPath(cmd)
	return p, err == nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
