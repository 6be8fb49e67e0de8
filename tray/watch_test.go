package tray

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// The keys.json watcher against the real OS watch (inotify here) and the
// polling fallback. Every writer the keystore or a user may use must be
// seen; files beside keys.json must not wake the tray.

// watching starts a watcher on path and returns the channel its reports
// arrive on. noWatch makes the OS watch impossible (the fallback). check,
// if not nil, looks at the watcher before it runs.
func watching(t *testing.T, path string, noWatch bool, check func(*indexWatcher)) <-chan struct{} {
	t.Helper()
	newW := fsnotify.NewWatcher
	if noWatch {
		newW = func() (*fsnotify.Watcher, error) { return nil, errors.New("too many open files") }
	}
	var mu sync.Mutex
	var logged []string
	x := watchIndexWith(path, func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		logged = append(logged, fmt.Sprintf(f, a...))
	}, newW)
	if noWatch != (x.w == nil) {
		t.Fatalf("watching=%v, want %v (log %q)", x.w != nil, !noWatch, logged)
	}
	if check != nil {
		check(x)
	}
	ch := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		x.run(ctx, func() {
			select {
			case ch <- struct{}{}:
			default:
			}
		})
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		if !noWatch && len(logged) > 0 {
			t.Errorf("the watch gave up: %q", logged)
		}
	})
	return ch
}

// within fails unless a report arrives within d (the menu's budget is 2 s
// for the whole path, the keychain read and the rebuild included).
func within(t *testing.T, ch <-chan struct{}, d time.Duration, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatalf("%s: not reported within %v", what, d)
	}
}

// quiet fails if a report arrives within d.
func quiet(t *testing.T, ch <-chan struct{}, d time.Duration, what string) {
	t.Helper()
	select {
	case <-ch:
		t.Fatalf("%s: reported, but keys.json did not change", what)
	case <-time.After(d):
	}
}

// writeAtomic replaces path the way the keystore does: a temp file in the
// same directory renamed over it.
func writeAtomic(t *testing.T, path, data string) {
	t.Helper()
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmp.WriteString(data); err != nil {
		t.Fatal(err)
	}
	tmp.Close()
	if err := os.Rename(tmp.Name(), path); err != nil {
		t.Fatal(err)
	}
}

func TestWatchIndexSeesEveryWriter(t *testing.T) {
	t.Parallel()
	for _, mode := range []struct {
		name    string
		noWatch bool
	}{{"inotify", false}, {"polling fallback", true}} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "keys.json")
			ch := watching(t, path, mode.noWatch, nil)

			// Each step changes size or content so the fallback's stamp
			// differs even on a coarse clock.
			writeAtomic(t, path, `{"keys":[]}`)
			within(t, ch, 2*time.Second, "first keys.json, renamed into place")
			writeAtomic(t, path, `{"keys":[{"name":"a"}]}`)
			within(t, ch, 2*time.Second, "keys.json replaced by rename")
			if err := os.WriteFile(path, []byte(`{"keys":[{"name":"ab"}]}`), 0o600); err != nil {
				t.Fatal(err)
			}
			within(t, ch, 2*time.Second, "keys.json rewritten in place")
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			within(t, ch, 2*time.Second, "keys.json removed")
		})
	}
}

func TestWatchIndexIgnoresOtherFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "keys.json")
	writeAtomic(t, path, `{"keys":[]}`)
	ch := watching(t, path, false, nil)

	// The item cache, the writer lock and a temp file that was never
	// renamed live beside keys.json; chmod leaves the list as it is.
	for _, name := range []string{"keys.json.items", "keys.json.lock", "keys.json.tmp123", "other"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	quiet(t, ch, 300*time.Millisecond, "files beside keys.json")
}

// TestWatchIndexFollowsTheDirectory: before the first key the config dir
// may not exist, and a user may delete or move it while the tray runs.
func TestWatchIndexFollowsTheDirectory(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "config", "anykey")
	path := filepath.Join(dir, "keys.json")
	ch := watching(t, path, false, func(x *indexWatcher) {
		if x.iw.watched != root {
			t.Fatalf("watching %s, want the nearest existing ancestor %s", x.iw.watched, root)
		}
	})

	// The first save creates the directories, then keys.json.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	writeAtomic(t, path, `{"keys":[]}`)
	within(t, ch, 2*time.Second, "keys.json in a new directory")
	writeAtomic(t, path, `{"keys":[{"name":"a"}]}`)
	within(t, ch, 2*time.Second, "keys.json replaced in the new directory")

	if runtime.GOOS == "windows" {
		// ReadDirectoryChangesW reports changes inside the watched
		// directory, never the directory itself being renamed (fsnotify's
		// Windows backend has no event for it): the rest is Unix-only.
		t.Skip("the rest needs the watched directory's own rename reported, which Windows does not do")
	}
	// The directory moved away, then a new one with a new keys.json.
	if err := os.Rename(dir, dir+".old"); err != nil {
		t.Fatal(err)
	}
	within(t, ch, 2*time.Second, "directory moved away")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	writeAtomic(t, path, `{"keys":[{"name":"b"}]}`)
	within(t, ch, 2*time.Second, "keys.json in the re-created directory")

	// The whole config tree deleted, then written again.
	if err := os.RemoveAll(filepath.Join(root, "config")); err != nil {
		t.Fatal(err)
	}
	within(t, ch, 2*time.Second, "directory deleted")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	writeAtomic(t, path, `{"keys":[{"name":"c"}]}`)
	within(t, ch, 2*time.Second, "keys.json after the tree came back")
	// Still watching keys.json's own directory, not an ancestor: a later
	// change is seen too (the cleanup checks it never fell back to polling).
	writeAtomic(t, path, `{"keys":[{"name":"d"}]}`)
	within(t, ch, 2*time.Second, "keys.json replaced after the tree came back")
}
