// Command anykey gets API keys for Anytype's local API and keeps them in the
// OS keychain. With no command it starts the tray; see usage for the CLI.
package main

import "os"

func main() { os.Exit(2) }
