package keystore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/safefile"
)

func testEntry(name string) Entry {
	return Entry{Name: name, APIURL: "http://127.0.0.1:31009", CreatedAt: time.Unix(1700000000, 0).UTC()}
}

func TestCorruptIndexLeftAlone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, content string }{
		{"empty file", ""},
		{"truncated", `{"version":1,"keys":[{"name":"a"`},
		{"not an object", `[]`},
		{"null", `null`},
		{"trailing data", `{"version":1,"keys":[]} x`},
		{"unknown version", `{"version":2,"keys":[]}`},
		{"no version", `{"keys":[]}`},
		{"binary", "\x00\xff\xfe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			be := newMapBackend()
			k := testKeyring(t, be)
			path := k.IndexPath()
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			if _, err := k.List(ctx); !errors.Is(err, ErrCorruptIndex) {
				t.Errorf("List = %v, want ErrCorruptIndex", err)
			}
			if err := k.Set(ctx, testEntry("new"), "secret", false); !errors.Is(err, ErrCorruptIndex) {
				t.Errorf("Set = %v, want ErrCorruptIndex", err)
			}
			if err := k.Set(ctx, testEntry("new"), "secret", true); !errors.Is(err, ErrCorruptIndex) {
				t.Errorf("Set(overwrite) = %v, want ErrCorruptIndex", err)
			}
			if err := k.Delete(ctx, "a"); !errors.Is(err, ErrCorruptIndex) {
				t.Errorf("Delete = %v, want ErrCorruptIndex", err)
			}
			if _, err := k.Lookup(ctx, "a"); !errors.Is(err, ErrCorruptIndex) {
				t.Errorf("Lookup = %v, want ErrCorruptIndex", err)
			}
			if be.len() != 0 {
				t.Errorf("keychain touched: %d secrets", be.len())
			}
			got, err := os.ReadFile(path)
			if err != nil || string(got) != tc.content {
				t.Errorf("keys.json changed to %q (%v), want it left as %q", got, err, tc.content)
			}
		})
	}
}

func TestUnreadableIndex(t *testing.T) {
	t.Parallel()
	k := testKeyring(t, newMapBackend())
	// A directory where keys.json should be: reading fails for root too.
	if err := os.Mkdir(k.IndexPath(), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := k.List(t.Context()); !errors.Is(err, ErrCorruptIndex) {
		t.Errorf("List = %v, want ErrCorruptIndex", err)
	}
	if err := k.Set(t.Context(), testEntry("a"), "s", false); !errors.Is(err, ErrCorruptIndex) {
		t.Errorf("Set = %v, want ErrCorruptIndex", err)
	}
	if fi, err := os.Stat(k.IndexPath()); err != nil || !fi.IsDir() {
		t.Errorf("keys.json replaced: %v, %v", fi, err)
	}
}

func TestModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes on Windows")
	}
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "config", "anykey")
	k := &Keyring{dir: dir, be: newMapBackend(), timeout: time.Second}
	if err := k.Set(t.Context(), testEntry("a"), "s", false); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		want os.FileMode
	}{{dir, 0o700 | os.ModeDir}, {k.IndexPath(), 0o600}, {filepath.Join(dir, lockName), 0o600}} {
		fi, err := os.Stat(tc.path)
		if err != nil || fi.Mode() != tc.want {
			t.Errorf("%s: mode %v, %v; want %v", tc.path, fi.Mode(), err, tc.want)
		}
	}
}

func TestReadsDoNotCreateDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "anykey")
	k, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	k.be = newMapBackend()
	ctx := t.Context()
	if l, err := k.List(ctx); err != nil || len(l) != 0 {
		t.Errorf("List = %v, %v", l, err)
	}
	if _, err := k.Lookup(ctx, "a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Lookup = %v, want ErrNotFound", err)
	}
	if _, err := k.Get(ctx, "a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get = %v, want ErrNotFound", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("read-only operations created %s (%v)", dir, err)
	}
}

func TestDefaultDirHonoursXDG(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG_CONFIG_HOME is a Unix convention")
	}
	t.Setenv(EnvDir, "") // a developer's own would outrank XDG_CONFIG_HOME
	t.Setenv("XDG_CONFIG_HOME", "/xdg/conf")
	got, err := DefaultDir()
	if err != nil || got != "/xdg/conf/anykey" {
		t.Errorf("DefaultDir = %q, %v", got, err)
	}
	k, err := Open("")
	if err != nil || k.IndexPath() != "/xdg/conf/anykey/keys.json" {
		t.Errorf("Open(\"\").IndexPath = %q, %v", k.IndexPath(), err)
	}
}

// TestAtomicReplace checks that keys.json is replaced, not rewritten in
// place: a reader that opened the old file still reads the whole old
// content, and no temp files are left behind.
func TestAtomicReplace(t *testing.T) {
	desktoptest.SkipUnderWine(t, "Wine 8 cannot rename over a file that is open, even with delete sharing (no FILE_RENAME_POSIX_SEMANTICS); TestReplaceWhileForeignReaderHolds covers the retry")
	t.Parallel()
	k := testKeyring(t, newMapBackend())
	ctx := t.Context()
	if err := k.Set(ctx, testEntry("a"), "s", false); err != nil {
		t.Fatal(err)
	}
	// A reader such as the tray or a `get` holds keys.json open, as anykey
	// opens it (on Windows: with delete sharing, or the rename fails).
	old, err := safefile.Open(k.IndexPath())
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	before, _ := os.ReadFile(k.IndexPath())
	if err := k.Set(ctx, testEntry("b"), "s", false); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(old); err != nil || !bytes.Equal(buf.Bytes(), before) {
		t.Errorf("old reader saw %q, want the old file %q", buf.Bytes(), before)
	}
	files, _ := os.ReadDir(k.dir)
	var names []string
	for _, f := range files {
		names = append(names, f.Name())
	}
	if !slices.Equal(names, []string{indexName, lockName}) {
		t.Errorf("dir holds %v, want only keys.json and its lock", names)
	}
	now, _ := os.ReadFile(k.IndexPath())
	if es, err := parseIndex(now); err != nil || len(es) != 2 {
		t.Errorf("new index = %v, %v", es, err)
	}
}

// TestReplaceWhileForeignReaderHolds: another program (an indexer, a virus
// scanner) opens keys.json without delete sharing for a moment; a save
// waits it out instead of failing with "Access is denied" on Windows.
func TestReplaceWhileForeignReaderHolds(t *testing.T) {
	t.Parallel()
	k := testKeyring(t, newMapBackend())
	if err := k.Set(t.Context(), testEntry("a"), "s", false); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(k.IndexPath()) // Go's os.Open: no FILE_SHARE_DELETE
	if err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(300*time.Millisecond, func() { f.Close() })
	defer timer.Stop()
	if err := k.Set(t.Context(), testEntry("b"), "s", false); err != nil {
		t.Fatalf("save while another program read keys.json for 300 ms: %v", err)
	}
	if es, err := k.List(t.Context()); err != nil || len(es) != 2 {
		t.Errorf("after the save: %v, %v", es, err)
	}
}

// TestNoSecretInFiles stores a key and checks no file in the config dir
// holds it.
func TestNoSecretInFiles(t *testing.T) {
	t.Parallel()
	k := testKeyring(t, newMapBackend())
	secret := uniqueName(t, "anytype-secret")
	if err := k.Set(t.Context(), testEntry("a"), secret, false); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(k.dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains the secret", p)
			}
		}
		return nil
	})
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	k := testKeyring(t, newSlowBackend(t))
	k.timeout = 50 * time.Millisecond
	// An index entry written directly, so List has something to check.
	if err := writeIndex(k.dir, []Entry{testEntry("a")}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(k.IndexPath())
	ctx := t.Context()
	var te *TimeoutError
	_, err := k.Get(ctx, "a")
	if !errors.As(err, &te) || te.Op != "lookup" || te.After < k.timeout || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Get = %v, want a lookup *TimeoutError after >= %v", err, k.timeout)
	}
	if err := k.Set(ctx, testEntry("b"), "s", false); !errors.As(err, &te) {
		t.Errorf("Set = %v, want *TimeoutError", err)
	}
	if err := k.Delete(ctx, "a"); !errors.As(err, &te) {
		t.Errorf("Delete = %v, want *TimeoutError", err)
	}
	list, err := k.List(ctx)
	if !errors.As(err, &te) || !errors.Is(err, ErrUnavailable) || len(list) != 1 {
		t.Errorf("List = %v, %v; want the entry plus a timeout wrapping ErrUnavailable", list, err)
	}
	if after, _ := os.ReadFile(k.IndexPath()); !bytes.Equal(before, after) {
		t.Errorf("timed-out calls changed keys.json to %s", after)
	}
	if !strings.Contains(te.Error(), "no answer after") {
		t.Errorf("TimeoutError text %q", te.Error())
	}
}

func TestCancelledContext(t *testing.T) {
	t.Parallel()
	k := testKeyring(t, newSlowBackend(t))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := k.Get(ctx, "a")
	var te *TimeoutError
	if !errors.Is(err, context.Canceled) || errors.As(err, &te) {
		t.Errorf("Get(cancelled) = %v, want context.Canceled, not a timeout", err)
	}
}
