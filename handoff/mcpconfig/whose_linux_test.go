package mcpconfig

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/safefile"
)

// aclBlob is a POSIX ACL as the kernel stores it in system.posix_acl_access
// (version 2, then tag/perm/id entries): owner rw, user uid rw, group r,
// mask rw, others none.
func aclBlob(uid uint32) []byte {
	var b bytes.Buffer
	w := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	w(uint32(2))
	for _, e := range []struct {
		tag, perm uint16
		id        uint32
	}{{0x01, 6, ^uint32(0)}, {0x02, 6, uid}, {0x04, 4, ^uint32(0)}, {0x10, 6, ^uint32(0)}, {0x20, 0, ^uint32(0)}} {
		w(e.tag)
		w(e.perm)
		w(e.id)
	}
	return b.Bytes()
}

// TestWhoseFile: another user's file is not edited; a file's owner, group
// and ACL survive an edit (a rename puts a new inode in place); issue 21.
func TestWhoseFile(t *testing.T) {
	desktoptest.RequireOtherUser(t)
	c, _ := Lookup("cursor")
	const nobody = 65534

	t.Run("another user's file", func(t *testing.T) {
		env := testEnv(t)
		file := c.File(env)
		os.MkdirAll(filepath.Dir(file), 0o755)
		body := []byte(`{"mcpServers": {"theirs": {"command": "x"}}}`)
		os.WriteFile(file, body, 0o666)
		os.Chown(file, nobody, nobody)
		before, _ := os.Stat(file)
		_, err := Install(t.Context(), c, env, keyless("work"), false)
		if !errors.Is(err, safefile.ErrNotOwned) || !strings.Contains(err.Error(), "nobody") {
			t.Errorf("Install into nobody's file: %v, want a refusal naming nobody", err)
		}
		after, _ := os.Stat(file)
		if got, _ := os.ReadFile(file); !bytes.Equal(got, body) || !os.SameFile(before, after) {
			t.Error("nobody's file was changed")
		}
	})

	t.Run("group and ACL kept", func(t *testing.T) {
		env := testEnv(t)
		file := c.File(env)
		os.MkdirAll(filepath.Dir(file), 0o755)
		os.WriteFile(file, []byte(`{"mcpServers": {"theirs": {"command": "x"}}}`), 0o660)
		os.Chown(file, -1, nobody)
		acl := aclBlob(nobody)
		if err := unix.Setxattr(file, "system.posix_acl_access", acl, 0); err != nil {
			t.Skipf("no POSIX ACLs on this file system: %v", err)
		}
		if _, err := Install(t.Context(), c, env, keyless("work"), false); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{file} {
			fi, _ := os.Stat(f)
			st := fi.Sys().(*syscall.Stat_t)
			got, _ := xattr(f, "system.posix_acl_access")
			if st.Gid != nobody || st.Uid != uint32(os.Geteuid()) || !bytes.Equal(got, acl) {
				t.Errorf("%s after the edit: uid %d gid %d, ACL %x; want gid %d and ACL %x", f, st.Uid, st.Gid, got, nobody, acl)
			}
		}
		if data, _ := os.ReadFile(file); !strings.Contains(string(data), "anytype") {
			t.Error("the entry was not written")
		}
	})
}

const envKillWriter = "ANYKEY_TEST_KILL_WRITER" // the dir the writer writes in

// TestKilledWriterHelper writes a large config file again and again until
// it is killed.
func TestKilledWriterHelper(t *testing.T) {
	dir := os.Getenv(envKillWriter)
	if dir == "" {
		t.Skip("helper process of TestKillLeavesNoCopy")
	}
	data := bytes.Repeat([]byte(`{"mcpServers": {}}`+"\n"), 32<<20/19)
	file := filepath.Join(dir, "mcp.json")
	os.Stdout.WriteString("ready\n")
	for {
		writeTemp(dir, file, data, 0o600, "", nil)
	}
}

// TestKillLeavesNoCopy: kill -9 at random moments of writes leaves no
// temporary copy of the config beside it (issue 21).
func TestKillLeavesNoCopy(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("no /proc")
	}
	const rounds = 20
	left := 0
	for i := range rounds {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), envKillWriter+"="+dir)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 6)
		out.Read(buf)
		time.Sleep(time.Duration(20+rand.IntN(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		// A kill between linkat and rename leaves a named copy for an
		// instant that cannot be closed; the next write removes it.
		if ents, _ := os.ReadDir(dir); len(ents) > 1 {
			t.Logf("round %d: %d names right after the kill; writing once more", i, len(ents))
			if err := writeTemp(dir, filepath.Join(dir, "mcp.json"), []byte("{}\n"), 0o600, "", nil); err != nil {
				t.Fatal(err)
			}
		}
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if e.Name() != "mcp.json" {
				left++
				t.Errorf("round %d: %s left behind", i, e.Name())
			}
		}
	}
	t.Logf("%d kills during writes, %d temporary copies left", rounds, left)
}

// TestSweepTemps: a temporary name left by a writer that is gone is
// removed; one whose writer still runs, and other files, are kept.
func TestSweepTemps(t *testing.T) {
	dir := t.TempDir()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	live := exec.Command("sleep", "30")
	if err := live.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { live.Process.Kill(); live.Wait() }()
	names := map[string]bool{ // name: kept
		".mcp.json." + strconv.Itoa(gone.Process.Pid) + "-0.tmp":   false,
		".mcp.json." + strconv.Itoa(live.Process.Pid) + "-0.tmp":   true,
		".other.json." + strconv.Itoa(gone.Process.Pid) + "-0.tmp": true,
		".mcp.json.notapid.tmp":                                    true,
		"mcp.json":                                                 true,
	}
	for n := range names {
		os.WriteFile(filepath.Join(dir, n), []byte("{}"), 0o600)
	}
	sweepTemps(dir, filepath.Join(dir, "mcp.json"))
	for n, kept := range names {
		if _, err := os.Stat(filepath.Join(dir, n)); (err == nil) != kept {
			t.Errorf("%s: kept %v, want %v", n, err == nil, kept)
		}
	}
}
