package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// TestE2ENoBusSaysItOnce: with no session bus to find (as an MCP client
// starts a server outside a desktop session), each command says so in one
// line and its hints, not in two messages that each explain it.
func TestE2ENoBusSaysItOnce(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		t.Skip("this machine has a user bus at /run/user/UID/bus, which anykey would find")
	}
	e := newE2E(t, fakeanytype.Config{})
	name := e.name("k")
	if r := e.run(strings.NewReader("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI=\n"), "add", "--no-verify", name); r.code != 0 {
		t.Fatalf("add: %d %q", r.code, r.stderr)
	}
	for _, args := range [][]string{{"list"}, {"env", name}, {"get", name}, {"pair", e.name("p")}, {"exec", name, "--", "true"}} {
		cmd := e.command(t.Context(), args...)
		var env []string
		for _, kv := range cmd.Env {
			if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") && !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") {
				env = append(env, kv)
			}
		}
		cmd.Env = env
		var errb strings.Builder
		cmd.Stderr = &errb
		cmd.Run()
		if cmd.ProcessState.ExitCode() != 1 {
			t.Errorf("%v: exit %d", args, cmd.ProcessState.ExitCode())
		}
		var messages []string
		for _, l := range strings.Split(strings.TrimSpace(errb.String()), "\n") {
			if strings.HasPrefix(l, "anykey: ") && !strings.HasPrefix(l, "anykey: hint: ") {
				messages = append(messages, l)
			}
		}
		if len(messages) != 1 || !strings.Contains(messages[0], "no session bus") || !strings.Contains(errb.String(), "anykey: hint: ") {
			t.Errorf("%v: want one message naming the missing bus and a hint, got %q", args, errb.String())
		}
	}
	if n := e.srv.Challenges(); n != 0 {
		t.Errorf("pair spent %d challenges without a keychain", n)
	}
}

// TestE2ENoHome: with neither HOME nor XDG_CONFIG_HOME (or a relative
// one), anykey cannot place keys.json: one message and a hint naming the
// variables, exit 1.
func TestE2ENoHome(t *testing.T) {
	t.Parallel()
	e := newE2E(t, fakeanytype.Config{})
	for _, extra := range [][]string{nil, {"XDG_CONFIG_HOME=relative/dir"}} {
		for _, args := range [][]string{{"list"}, {"env", "x"}, {"pair", "x"}} {
			cmd := e.command(t.Context(), args...)
			var env []string
			for _, kv := range cmd.Env {
				if !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
					env = append(env, kv)
				}
			}
			cmd.Env = append(env, extra...)
			var errb strings.Builder
			cmd.Stderr = &errb
			cmd.Run()
			lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
			if cmd.ProcessState.ExitCode() != 1 || len(lines) != 2 || !strings.Contains(lines[0], "config directory") ||
				!strings.Contains(lines[1], "hint: set HOME") {
				t.Errorf("%v %v: exit %d %q", extra, args, cmd.ProcessState.ExitCode(), errb.String())
			}
		}
	}
}
