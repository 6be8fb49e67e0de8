package clip

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
)

// The newest copy decides when the clipboard is cleared. Each [Copy] writes
// a fresh random generation into a small per-user file and hands it to its
// clearing helper; a helper clears only if the file still holds its own
// generation. A later copy from any process (another CLI run, the tray)
// thus cancels every clear still pending, and a copy with no clear delay
// means the key stays. The file holds no secret: 16 hex digits.

// genFileName is the generation file's name in [genDir].
const genFileName = "anykey-clipboard-generation"

// genPath is the generation file: in $XDG_RUNTIME_DIR (per user, in
// memory, emptied at logout) when set, else in the user cache directory.
// A test hook.
var genPath = func() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, genFileName)
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "anykey", genFileName)
	}
	return ""
}

// newGeneration records and returns a new generation. When it cannot be
// recorded it returns "", and the helper falls back to the clipboard
// comparison alone.
func newGeneration() string {
	gen := makeGeneration()
	if gen == "" || !recordGeneration(gen) {
		return ""
	}
	return gen
}

// makeGeneration returns a fresh random generation without recording it
// ("" if the system has no randomness to give).
func makeGeneration() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return ""
	}
	return hex.EncodeToString(b)
}

// recordGeneration makes gen the newest copy's generation and reports
// whether it could.
func recordGeneration(gen string) bool {
	p := genPath()
	if p == "" || gen == "" {
		return false
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return false
	}
	// Write and rename, so a helper never reads half a generation.
	tmp, err := os.CreateTemp(filepath.Dir(p), genFileName+".tmp*")
	if err != nil {
		return false
	}
	_, werr := tmp.WriteString(gen)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
		return false
	}
	return true
}

// superseded reports whether a copy after the one with generation gen was
// made. An unreadable file proves nothing: the helper then clears as it
// would without generations (only if the clipboard still holds the key).
func superseded(gen string) bool {
	if gen == "" {
		return false
	}
	p := genPath()
	if p == "" {
		return false
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return false
	}
	return strings.TrimSpace(string(b)) != gen
}
