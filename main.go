// Command anykey gets API keys for Anytype's local API and keeps them in the
// OS keychain. With no command it starts the tray; `anykey help` shows the
// command line. This file only wires: everything else lives in the packages
// (see the README's layout table), the command line in package cli.
package main

import (
	"os"

	"github.com/anykey-app/anykey/cli"
)

// Version is set at build time with -ldflags "-X main.Version=…" (Makefile,
// scripts/dist.sh); empty means cli.VersionString's fallback.
var Version string

func main() {
	os.Exit(cli.Main(cli.VersionString(Version)))
}
