// Package clip puts a secret on the system clipboard and clears it later,
// like pass: a detached helper process outlives the command, and clears the
// clipboard only if it still holds the secret.
package clip

// SKELETON: the exported API below is the contract other packages code
// against. Implementations replace the bodies; signatures stay.

import (
	"errors"
	"io"
	"time"
)

// DefaultClearAfter is how long a copied key stays on the clipboard.
const DefaultClearAfter = 45 * time.Second

// HelperCommand is the hidden anykey subcommand that runs the clearing
// helper; main dispatches it to [RunHelper]. The secret reaches the helper on
// stdin, never on argv.
const HelperCommand = "__clear-clipboard"

// ErrNoTool means no clipboard tool is installed (Linux: xclip, xsel or
// wl-clipboard).
var ErrNoTool = errors.New("no clipboard tool found")

// Copy writes secret to the clipboard and, if clearAfter > 0, starts the
// detached helper (os.Executable() HelperCommand DURATION) that clears it.
func Copy(secret string, clearAfter time.Duration) error { panic("skeleton") }

// RunHelper reads the secret from r, waits d, and clears the clipboard if it
// still holds the secret.
func RunHelper(r io.Reader, d time.Duration) error { panic("skeleton") }

// InstallHint names the package to install when [ErrNoTool] is returned.
func InstallHint() string { panic("skeleton") }
