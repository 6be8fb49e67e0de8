package tray

import "os"

// fileStamp is what the keys.json watcher compares: cheap to get (one stat
// per second) and changed by every atomic rewrite the keystore does.
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

// indexChanged reports whether keys.json differs from the last look, and
// remembers the new stamp.
func (a *App) indexChanged() bool {
	if a.d.IndexPath == "" {
		return false
	}
	s := stampOf(a.d.IndexPath)
	a.mu.Lock()
	defer a.mu.Unlock()
	if s == a.stamp {
		return false
	}
	a.stamp = s
	return true
}
