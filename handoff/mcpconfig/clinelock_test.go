package mcpconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestClineLock: anykey takes Cline's lock directory before it reads the
// file, so a write Cline makes under its lock is not lost; a lock left by
// a dead writer is taken over within a bounded time; a live one makes
// anykey give up with a message after a bounded wait (issue 21).
func TestClineLock(t *testing.T) {
	c, _ := Lookup("cline")
	setup := func(t *testing.T) (Env, string, string) {
		env := testEnv(t)
		file := c.File(env)
		os.MkdirAll(filepath.Dir(file), 0o700)
		os.WriteFile(file, []byte(`{"mcpServers": {"first": {"command": "a"}}}`), 0o600)
		return env, file, file + ".lock"
	}

	t.Run("write under the lock is kept", func(t *testing.T) {
		env, file, lock := setup(t)
		os.Mkdir(lock, 0o700) // Cline is writing
		done := make(chan error, 1)
		go func() {
			_, err := Install(t.Context(), c, env, keyless("work"), false)
			done <- err
		}()
		time.Sleep(200 * time.Millisecond)
		// Cline's write, then its unlock.
		os.WriteFile(file, []byte(`{"mcpServers": {"first": {"command": "a"}, "added-by-cline": {"command": "b"}}}`), 0o600)
		os.Remove(lock)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(file)
		if !strings.Contains(string(data), "added-by-cline") || !strings.Contains(string(data), `"anytype"`) {
			t.Errorf("Cline's write or ours was lost:\n%s", data)
		}
		if _, err := os.Stat(lock); err == nil {
			t.Error("the lock was left behind")
		}
	})

	t.Run("stale lock", func(t *testing.T) {
		env, file, lock := setup(t)
		os.Mkdir(lock, 0o700)
		old := time.Now().Add(-time.Minute)
		os.Chtimes(lock, old, old)
		start := time.Now()
		if _, err := Install(t.Context(), c, env, keyless("work"), false); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > clineLockWait {
			t.Errorf("took %v over a stale lock", took)
		}
		if data, _ := os.ReadFile(file); !strings.Contains(string(data), `"anytype"`) {
			t.Error("not written")
		}
	})

	t.Run("live lock", func(t *testing.T) {
		env, file, lock := setup(t)
		os.Mkdir(lock, 0o700)
		before, _ := os.ReadFile(file)
		start := time.Now()
		_, err := Install(t.Context(), c, env, keyless("work"), false)
		took := time.Since(start)
		if err == nil || !strings.Contains(err.Error(), "Cline") || !strings.Contains(err.Error(), lock) {
			t.Errorf("Install under a live lock: %v", err)
		}
		if took < clineLockWait || took > clineLockWait+2*time.Second {
			t.Errorf("gave up after %v, want about %v", took, clineLockWait)
		}
		if after, _ := os.ReadFile(file); string(after) != string(before) {
			t.Error("the file changed under Cline's lock")
		}
		if _, err := os.Stat(lock); err != nil {
			t.Error("Cline's live lock was removed")
		}
	})
}
