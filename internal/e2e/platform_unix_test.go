//go:build unix

package e2e

import (
	"context"
	"os/exec"
	"syscall"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/keystore"
)

// ownGroup makes cmd the leader of its own process group, so a timeout can
// stop anything it started.
func ownGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// killGroup kills the process group ownGroup made for cmd.
func killGroup(cmd *exec.Cmd) { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }

// clearKeychain removes names' secrets from the session's Secret Service
// (the sandbox's names only: random, made by sandbox.name).
func clearKeychain(names []string) {
	if desktoptest.Missing(desktoptest.SecretService) != "" {
		return
	}
	for _, n := range names {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = exec.CommandContext(ctx, "secret-tool", "clear", "service", keystore.TestService, "username", n).Run()
		cancel()
	}
}
