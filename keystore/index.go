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
	"slices"
	"strings"
	"time"

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

// parseIndex decodes keys.json. Anything but a well-formed version 1 file
// with valid, unique names is an error wrapping [ErrCorruptIndex]; the
// caller must then leave the file alone.
func parseIndex(data []byte) ([]Entry, error) {
	var f indexFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorruptIndex, err)
	}
	if f.Version != indexVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrCorruptIndex, f.Version, indexVersion)
	}
	seen := make(map[string]bool, len(f.Keys))
	for i := range f.Keys {
		e := &f.Keys[i]
		if err := ValidateName(e.Name); err != nil {
			return nil, fmt.Errorf("%w: entry %d: %w", ErrCorruptIndex, i, err)
		}
		if seen[e.Name] {
			return nil, fmt.Errorf("%w: name %q listed twice", ErrCorruptIndex, e.Name)
		}
		seen[e.Name] = true
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
	slices.SortFunc(es, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
}

func findEntry(es []Entry, name string) int {
	return slices.IndexFunc(es, func(e Entry) bool { return e.Name == name })
}

// readIndex reads keys.json without locking: writers replace it by rename,
// so a reader sees either the old or the new file, never a torn one. A
// missing file (or dir) is an empty index.
func readIndex(path string) ([]Entry, error) {
	data, err := os.ReadFile(path)
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
	if err := os.Rename(tmp.Name(), filepath.Join(dir, indexName)); err != nil {
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
	l := flock.New(filepath.Join(dir, lockName))
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
