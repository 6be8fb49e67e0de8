package clip

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/anykey-app/anykey/internal/safefile"
	"github.com/gofrs/flock"
)

// The newest copy decides when the clipboard is cleared. Each [Copy] writes
// a fresh random generation into a small per-user file and hands it to its
// clearing helper; a helper clears only if the file still holds its own
// generation. A later copy from any process (another CLI run, the tray)
// thus cancels every clear still pending, and a copy with no clear delay
// means the key stays. The file holds no secret: 16 hex digits.
//
// Recording a generation and taking the clipboard are one step for other
// anykey processes, and so are checking the generation, reading the
// clipboard and clearing it: both run under [lockClipboard]. Otherwise an
// older copy's clear could run between a newer copy taking the clipboard
// and recording its generation, see the same key on the clipboard, and
// clear the newer copy early (issue 20: 3 runs in 23 on X11).

// genFileName is the generation file's name in [genDir].
const genFileName = "anykey-clipboard-generation"

// genPath is the generation file: in $XDG_RUNTIME_DIR (per user, in
// memory, emptied at logout) when set and private, else in the user cache
// directory. A test hook.
var genPath = func() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) && privateDir(d) {
		return filepath.Join(d, genFileName)
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "anykey", genFileName)
	}
	return ""
}

// privateDir reports whether d is a directory of the user's own that
// nobody else can write in, as the XDG spec wants $XDG_RUNTIME_DIR (0700).
// Some set it to /tmp: there another user could plant the generation or
// lock file, or hold the lock for every copy. (Windows' modes say nothing
// of this; its %LOCALAPPDATA% is the user's.)
func privateDir(d string) bool {
	fi, err := os.Stat(d)
	if err != nil || !fi.IsDir() || safefile.CheckOwner(d, fi) != nil {
		return false
	}
	return runtime.GOOS == "windows" || fi.Mode().Perm()&0o022 == 0
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
	// Not followed if a symlink, no wait on a FIFO: this runs under the
	// clipboard lock. A generation is 16 bytes.
	b, err := safefile.ReadFile(p, 64)
	if err != nil {
		return false
	}
	return strings.TrimSpace(string(b)) != gen
}

// genLockWait bounds how long a copy or a clear waits for another anykey
// process's copy or clear to finish. One of them takes milliseconds: a
// round trip or two to the display server, and a read of the clipboard
// from its owner, which gives up on an owner that stopped answering after
// 5 s (readX11, readTool). A holder that takes longer is stuck (stopped,
// or descheduled for long), and the wait goes on without the lock; it
// must end well within [serveTimeout], or a stuck lock loses the copy.
const genLockWait = 3 * time.Second

// genLockRetry is how often a waiting process retries the file lock
// (gofrs/flock polls a non-blocking lock; only while another holds it).
const genLockRetry = 5 * time.Millisecond

// lockClipboard takes the clipboard lock, an OS file lock (flock,
// LockFileEx on Windows) beside the generation file that the kernel drops
// when its holder dies, and returns its unlock. It is best effort: with
// no place for the file, or after [genLockWait], it returns a no-op, and
// the caller goes on as it would without a lock (a copy is never lost to
// a stuck lock; at worst the race above comes back).
func lockClipboard() (unlock func()) {
	nop := func() {}
	p := genPath()
	if p == "" {
		return nop
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return nop
	}
	// The lock file is never read; NoFollow: a symlink planted there does
	// not make us create or lock a file elsewhere, a FIFO does not block.
	l := flock.New(p+".lock", flock.SetFlag(os.O_CREATE|os.O_RDWR|safefile.NoFollow), flock.SetPermissions(0o600))
	ctx, cancel := context.WithTimeout(context.Background(), genLockWait)
	defer cancel()
	if ok, err := l.TryLockContext(ctx, genLockRetry); err != nil || !ok {
		return nop
	}
	return func() { _ = l.Unlock() }
}
