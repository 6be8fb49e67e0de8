package tray

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watching keys.json. The CLI (another process) adds and removes keys by
// replacing keys.json atomically (a temp file renamed over it), and the menu
// must show the change within 2 s. Polling it costs a wake-up per poll all
// day, so the tray asks the OS to tell it instead (inotify, kqueue,
// ReadDirectoryChangesW through fsnotify) and sleeps until then.
//
// It watches the directory, not the file: a rename over keys.json replaces
// the inode a file watch would follow. A directory that does not exist yet
// (no key saved so far) or is removed while the tray runs is waited for by
// watching its nearest existing ancestor. Only where the OS cannot watch at
// all (no inotify instances or watches left, an unsupported platform) does
// it fall back to a stat every indexEvery.

// Timing of the keys.json watch. Variables so tests can shorten them.
var (
	// indexEvery is the poll interval of the fallback: keys.json changes
	// show within 2 s even there.
	indexEvery = time.Second
	// settleFor lets a burst of events for one write (truncate, write,
	// chmod, rename) end before keys.json is read, so a writer that does
	// not replace the file atomically is not read half-written.
	settleFor = 50 * time.Millisecond
)

// indexWatcher reports changes to keys.json: a directory watch, or the
// polling fallback when w is nil.
type indexWatcher struct {
	path string
	w    *fsnotify.Watcher
	iw   indexWatch
	last fileStamp // the fallback's last look
	logf func(string, ...any)
}

// watchIndex starts watching the file at path at once, so a change made
// after it returns is seen even before [indexWatcher.run] runs. logf says
// why it polls instead, when it does.
func watchIndex(path string, logf func(string, ...any)) *indexWatcher {
	return watchIndexWith(path, logf, fsnotify.NewWatcher)
}

// watchIndexWith is watchIndex with the watcher's constructor given, so
// tests can make watching impossible.
func watchIndexWith(path string, logf func(string, ...any), newWatcher func() (*fsnotify.Watcher, error)) *indexWatcher {
	x := &indexWatcher{path: path, logf: logf}
	w, err := newWatcher()
	if err == nil {
		x.iw = indexWatch{w: w, dir: filepath.Dir(path), name: filepath.Base(path)}
		if err = x.iw.follow(); err == nil {
			x.w = w
			return x
		}
		w.Close()
	}
	x.fallBack(err)
	return x
}

func (x *indexWatcher) fallBack(err error) {
	x.logf("cannot watch %s, checking it every %v instead: %v", x.path, indexEvery, err)
	x.w = nil
	x.last = stampOf(x.path)
}

// run calls changed whenever keys.json may have changed, until ctx ends;
// changed must not block for long (events queue in the kernel meanwhile).
func (x *indexWatcher) run(ctx context.Context, changed func()) {
	if x.w != nil {
		err := x.watch(ctx, changed)
		x.w.Close()
		if err == nil {
			return
		}
		x.fallBack(err)
		changed() // keys.json may have changed while the watch moved
	}
	x.poll(ctx, changed)
}

// watch handles events until ctx ends (nil) or the watch can no longer
// follow keys.json's directory (the error).
func (x *indexWatcher) watch(ctx context.Context, changed func()) error {
	w := x.w
	// settle is armed by an event and fires settleFor after the last one;
	// idle, no timer is pending, so nothing wakes the process.
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	defer settle.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			relevant, refollow := x.iw.classify(ev)
			if refollow {
				if err := x.iw.follow(); err != nil {
					return err
				}
			}
			if relevant || refollow {
				settle.Reset(settleFor)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			// An overflowed queue lost events: read keys.json again.
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				x.logf("watching %s: %v", x.path, err)
			}
			settle.Reset(settleFor)
		case <-settle.C:
			changed()
		}
	}
}

// poll is the fallback where watching is impossible: a stat every
// indexEvery, reporting when keys.json's stamp changes.
func (x *indexWatcher) poll(ctx context.Context, changed func()) {
	t := time.NewTicker(indexEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if s := stampOf(x.path); s != x.last {
				x.last = s
				changed()
			}
		}
	}
}

// indexWatch is the state of one directory watch: the directory keys.json
// lives in and, while that does not exist, the ancestor being watched.
type indexWatch struct {
	w       *fsnotify.Watcher
	dir     string // keys.json's directory
	name    string // "keys.json"
	watched string // the directory watched now: dir or an ancestor
}

// follow watches dir, or its nearest existing ancestor while dir does not
// exist. It fails only when no directory on the way can be watched.
func (iw *indexWatch) follow() error {
	// A directory on the way may appear between a failed Add of it and
	// the Add of its parent; its Create event then reached no watch. So
	// look again after watching an ancestor. The bound only guards
	// against a directory created and deleted in a loop.
	for range 16 {
		if iw.watched != "" {
			// Gone already when it was removed; the error says nothing new.
			_ = iw.w.Remove(iw.watched)
			iw.watched = ""
		}
		d, err := iw.add()
		if err != nil {
			return err
		}
		iw.watched = d
		if d == iw.dir {
			return nil
		}
		if _, err := os.Stat(filepath.Join(d, iw.next())); err != nil {
			return nil
		}
	}
	return nil
}

// add watches the deepest existing directory from dir up and returns it.
func (iw *indexWatch) add() (string, error) {
	d := iw.dir
	for {
		err := iw.w.Add(d)
		if err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if !errors.Is(err, os.ErrNotExist) || parent == d {
			return "", err
		}
		d = parent
	}
}

// next is the first path element below the watched ancestor on the way to
// keys.json's directory.
func (iw *indexWatch) next() string {
	rel, err := filepath.Rel(iw.watched, iw.dir)
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(rel, string(filepath.Separator)) // Rel's result is clean
	return first
}

// classify says whether ev may have changed keys.json, and whether the
// watch must move: the watched directory went away, or the next directory
// on the way down to keys.json's appeared.
func (iw *indexWatch) classify(ev fsnotify.Event) (relevant, refollow bool) {
	gone := ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)
	if filepath.Clean(ev.Name) == iw.watched {
		return false, gone
	}
	if iw.watched == iw.dir {
		// Chmod alone does not change what keys.json lists.
		return filepath.Base(ev.Name) == iw.name && ev.Op&^fsnotify.Chmod != 0, false
	}
	// Watching an ancestor: only the next path element matters.
	return false, filepath.Base(ev.Name) == iw.next() && ev.Has(fsnotify.Create)
}

// fileStamp is what the polling fallback compares: cheap to get and changed
// by every rewrite the keystore does.
type fileStamp struct {
	exists  bool
	modTime int64 // ns; an int so == compares values, not time.Location pointers
	size    int64
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{exists: true, modTime: fi.ModTime().UnixNano(), size: fi.Size()}
}
