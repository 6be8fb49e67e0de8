package keystore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/safefile"
	"github.com/gofrs/flock"
)

const (
	indexName    = "keys.json"
	lockName     = "keys.json.lock"
	indexVersion = 1
	// lockRetry is how often a waiting writer retries the file lock; writers
	// hold it for one keychain call and one small write.
	lockRetry = 5 * time.Millisecond
)

// indexFile is the on-disk form of keys.json.
type indexFile struct {
	Version int     `json:"version"`
	Keys    []Entry `json:"keys"`
}

// maxIndexSize caps keys.json: an entry is about 300 bytes, so this holds
// over ten thousand keys and stops a file that never ends.
const maxIndexSize = 4 << 20

// parseIndex decodes keys.json. Anything but a well-formed version 1 file
// is an error wrapping [ErrCorruptIndex]; the caller must then leave the
// file alone. Each entry is then checked as input (see [checkStored]): a
// bad one is kept, so a rewrite loses nothing, but marked Invalid.
func parseIndex(data []byte) ([]Entry, error) {
	var f indexFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorruptIndex, err)
	}
	if f.Version != indexVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrCorruptIndex, f.Version, indexVersion)
	}
	count := make(map[string]int, len(f.Keys))
	for _, e := range f.Keys {
		count[e.Name]++
	}
	for i := range f.Keys {
		e := &f.Keys[i]
		e.Invalid = checkStored(e)
		if count[e.Name] > 1 && e.Invalid == "" {
			// Which api_url goes with the one keychain secret is unknown.
			e.Invalid = "the name is listed more than once"
		}
		e.Missing = false // never stored; a file that says so is ignored
		if len(e.Grant) > 0 {
			// MarshalIndent indents raw JSON too; hand it back compact,
			// as it came in.
			var b bytes.Buffer
			if err := json.Compact(&b, e.Grant); err != nil {
				return nil, fmt.Errorf("%w: entry %q: %w", ErrCorruptIndex, e.Name, err)
			}
			e.Grant = b.Bytes()
		}
	}
	sortEntries(f.Keys)
	return f.Keys, nil
}

// checkStored returns why an entry read from keys.json cannot be used, or
// "": its name must pass [ValidateName] and its api_url the loopback rule
// of --api-url ([auth.ParseBaseURL]; empty means the desktop app's URL). An
// Anytype-Version that is not a date is dropped, as the client drops it.
func checkStored(e *Entry) string {
	if err := ValidateName(e.Name); err != nil {
		return "the name breaks the naming rules (" + strings.TrimPrefix(err.Error(), ErrInvalidName.Error()+": ") + ")"
	}
	if e.APIURL != "" {
		if _, err := auth.ParseBaseURL(e.APIURL); err != nil {
			return "api_url is not a local Anytype address (" + strings.TrimPrefix(err.Error(), "parsing api url: ") + ")"
		}
	}
	if !isDate(e.APIVersion) {
		e.APIVersion = ""
	}
	return ""
}

// isDate reports whether v is "" or looks like YYYY-MM-DD.
func isDate(v string) bool {
	if v == "" {
		return true
	}
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return false
	}
	for i := 0; i < len(v); i++ {
		if i != 4 && i != 7 && (v[i] < '0' || v[i] > '9') {
			return false
		}
	}
	return true
}

// marshalIndex encodes entries as keys.json, sorted by name, without Missing.
func marshalIndex(entries []Entry) ([]byte, error) {
	keys := make([]Entry, len(entries))
	for i, e := range entries {
		e.Missing = false
		keys[i] = e
	}
	sortEntries(keys)
	data, err := json.MarshalIndent(indexFile{Version: indexVersion, Keys: keys}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding key index: %w", err)
	}
	return append(data, '\n'), nil
}

func sortEntries(es []Entry) {
	// Stable: keys.json may list a name twice, and a rewrite keeps their order.
	slices.SortStableFunc(es, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
}

// findEntry returns the index of the entry named name: the exact name
// first, else the one that is the same name by [SameName]; -1 if none.
func findEntry(es []Entry, name string) int {
	if i := slices.IndexFunc(es, func(e Entry) bool { return e.Name == name }); i >= 0 {
		return i
	}
	return slices.IndexFunc(es, func(e Entry) bool { return SameName(e.Name, name) })
}

// badEntry returns a *[BadEntryError] if any entry named name is Invalid.
func badEntry(es []Entry, name string) error {
	for _, e := range es {
		if e.Name == name && e.Invalid != "" {
			return &BadEntryError{Name: name, Reason: e.Invalid}
		}
	}
	return nil
}

// readIndex reads keys.json without locking: writers replace it by rename,
// so a reader sees either the old or the new file, never a torn one. A
// missing file (or dir) is an empty index. The file is read as untrusted
// input ([safefile.ReadFile]): a symlink, FIFO or device there, or a file
// over maxIndexSize, is an error wrapping [ErrCorruptIndex].
func readIndex(path string) ([]Entry, error) {
	data, err := safefile.ReadFile(path, maxIndexSize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s: %w", ErrCorruptIndex, path, err)
	}
	es, err := parseIndex(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return es, nil
}

// writeIndex replaces keys.json atomically: a temp file in the same dir,
// fsync, rename, then fsync of the dir so the rename survives a crash.
func writeIndex(dir string, entries []Entry) (err error) {
	data, err := marshalIndex(entries)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, indexName+".tmp*")
	if err != nil {
		return notWritable(dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp makes the file 0600 already; Chmod states it and covers
	// platforms where that is not so.
	if err := tmp.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("writing key index: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("writing key index: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing key index: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing key index: %w", err)
	}
	if err := replaceFile(tmp.Name(), filepath.Join(dir, indexName)); err != nil {
		return notWritable(dir, err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename durable. Windows cannot open a directory for
// fsync and does not need it, so errors are ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// notWritable explains a write failure in the config dir in words a user
// can act on; the cause stays available to errors.Is (fs.ErrPermission).
func notWritable(dir string, err error) error {
	return fmt.Errorf("cannot write the key index in %s (is the config dir read-only?): %w", dir, err)
}

// withLock runs fn while holding the writer lock (keys.json.lock, a
// separate file because keys.json itself is replaced by rename). It
// creates dir 0700 if needed: only writers get here.
func withLock(ctx context.Context, dir string, fn func() error) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return notWritable(dir, err)
	}
	// Earlier builds kept a cache of item paths beside keys.json;
	// nothing reads it any more, so the first write tidies it away.
	_ = os.Remove(filepath.Join(dir, "keys.json.items"))
	path := filepath.Join(dir, lockName)
	// The lock file is never read, but opening a FIFO could block and a
	// symlink would make anykey create or lock a file elsewhere.
	if err := safefile.Lstat(path); err != nil {
		return fmt.Errorf("%w: %w", ErrCorruptIndex, err)
	}
	l := flock.New(path, flock.SetFlag(os.O_CREATE|os.O_RDWR|safefile.NoFollow), flock.SetPermissions(0o600))
	ok, err := l.TryLockContext(ctx, lockRetry)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("waiting for the key index lock: %w", err)
		}
		return notWritable(dir, err)
	}
	if !ok {
		return fmt.Errorf("waiting for the key index lock: %w", ctx.Err())
	}
	defer l.Unlock()
	return fn()
}

// CheckDir tightens the config dir dir to 0700 when it exists and others
// may read or enter it (keys.json names every key and its Anytype). It
// returns a sentence saying so when it changed the mode, "" otherwise, and
// refuses a dir that is a symlink. A missing dir is fine: writers create
// it 0700. A dir that belongs to another user is refused: its owner can
// replace what is in it whatever its mode. Windows has no such mode bits;
// there it does nothing.
func CheckDir(dir string) (string, error) {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("checking the config dir: %w", err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 || !fi.IsDir() {
		return "", fmt.Errorf("%w: the config dir %s is not a directory (a symbolic link or a file); move it away", ErrCorruptIndex, dir)
	}
	if err := safefile.CheckOwner(dir, fi); err != nil {
		// Its owner can replace keys.json, whatever the mode.
		return "", fmt.Errorf("%w: the config dir %w; move it away", ErrCorruptIndex, err)
	}
	if runtime.GOOS == "windows" || fi.Mode().Perm()&0o077 == 0 {
		return "", nil
	}
	old := fi.Mode().Perm()
	if err := os.Chmod(dir, 0o700); err != nil {
		return "", fmt.Errorf("the config dir %s is mode %04o and cannot be tightened to 0700: %w", dir, old, err)
	}
	return fmt.Sprintf("the config dir %s was mode %04o, open to other users; it is now 0700", dir, old), nil
}
