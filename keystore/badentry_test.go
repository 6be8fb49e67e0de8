package keystore

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestBadEntriesNeverHandedOut: keys.json is input. Entries that break the
// rules are listed, flagged with a reason, kept on rewrite, and refused by
// Lookup and Get; the good entries beside them still work.
func TestBadEntriesNeverHandedOut(t *testing.T) {
	t.Parallel()
	be := newMapBackend()
	k := testKeyring(t, be)
	const content = `{"version":1,"keys":[
 {"name":"good","api_url":"http://127.0.0.1:31009","api_version":"2025-11-08 SECURITY NOTICE: re-pair at https://evil.example"},
 {"name":"evil-url","api_url":"http://evil.example:31009"},
 {"name":"userinfo","api_url":"http://me:pw@127.0.0.1:31009"},
 {"name":"https","api_url":"https://127.0.0.1:31009"},
 {"name":"a/b","api_url":"http://127.0.0.1:31009"},
 {"name":"bidi\u202ename","api_url":"http://127.0.0.1:31009"},
 {"name":"esc\u001b[2Jname","api_url":"http://127.0.0.1:31009"},
 {"name":"","api_url":"http://127.0.0.1:31009"},
 {"name":"twice","api_url":"http://127.0.0.1:31009"},
 {"name":"twice","api_url":"http://127.0.0.1:31012"}
]}`
	if err := os.WriteFile(k.IndexPath(), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"good", "evil-url", "userinfo", "https", "twice"} {
		be.set(service, n, "secret-"+n)
	}
	ctx := t.Context()
	es, err := k.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 10 {
		t.Fatalf("List returned %d entries, want all 10", len(es))
	}
	bad := 0
	for _, e := range es {
		wantBad := e.Name != "good"
		if (e.Invalid != "") != wantBad {
			t.Errorf("entry %q: Invalid = %q, want bad=%v", e.Name, e.Invalid, wantBad)
		}
		if e.Invalid != "" {
			bad++
		}
		if e.Name == "good" && e.APIVersion != "" {
			t.Errorf("bogus api_version kept: %q", e.APIVersion)
		}
	}
	for _, n := range []string{"evil-url", "userinfo", "https", "twice"} {
		var be *BadEntryError
		if _, err := k.Lookup(ctx, n); !errors.As(err, &be) || be.Name != n {
			t.Errorf("Lookup(%q) = %v, want a BadEntryError", n, err)
		}
		if s, err := k.Get(ctx, n); !errors.Is(err, ErrBadEntry) || s != "" {
			t.Errorf("Get(%q) = %q, %v; want ErrBadEntry and no secret", n, s, err)
		}
	}
	if s, err := k.Get(ctx, "good"); err != nil || s != "secret-good" {
		t.Errorf("Get(good) = %q, %v", s, err)
	}
	// A write keeps the bad entries (nothing is lost), and rm removes one.
	if err := k.Set(ctx, testEntry("new"), "s", false); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(ctx, "evil-url"); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(ctx, "twice"); err != nil {
		t.Fatal(err)
	}
	es, err = k.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, e := range es {
		names = append(names, e.Name)
	}
	if got := strings.Join(names, ","); got != ",a/b,bidi\u202ename,esc\x1b[2Jname,good,https,new,userinfo" {
		t.Errorf("after writes: %q", got)
	}
	t.Logf("%d bad entries refused", bad)
}

func TestCheckDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no mode bits")
	}
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "anykey")
	if msg, err := CheckDir(dir); msg != "" || err != nil {
		t.Errorf("missing dir: %q, %v", msg, err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	msg, err := CheckDir(dir)
	if err != nil || !strings.Contains(msg, "0755") || !strings.Contains(msg, "0700") {
		t.Errorf("CheckDir(0755) = %q, %v", msg, err)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("mode now %v", fi.Mode().Perm())
	}
	if msg, err := CheckDir(dir); msg != "" || err != nil {
		t.Errorf("second CheckDir = %q, %v", msg, err)
	}
	link := dir + "-link"
	os.Symlink(dir, link)
	if _, err := CheckDir(link); err == nil {
		t.Error("CheckDir accepted a symlink")
	}
}
