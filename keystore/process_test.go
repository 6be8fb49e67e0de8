package keystore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Child processes: the test binary re-executes itself with childEnv set to
// a mode, runs that mode instead of the tests, and prints a JSON report.
const (
	childEnv  = "KEYSTORE_TEST_CHILD"
	childDir  = "KEYSTORE_TEST_DIR"
	childName = "KEYSTORE_TEST_NAME"
	childReal = "KEYSTORE_TEST_REAL" // "1": use the OS keychain, else a fake
	childGo   = "KEYSTORE_TEST_START"
	childWait = "KEYSTORE_TEST_TIMEOUT" // a keychain deadline shorter than KeychainTimeout
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(childMain(mode))
	}
	os.Exit(m.Run())
}

// childReport is what a child prints: per step, the error text and which
// sentinels it matches.
type childReport map[string]childResult

type childResult struct {
	Err         string `json:"err,omitempty"`
	Unavailable bool   `json:"unavailable,omitempty"`
	Permission  bool   `json:"permission,omitempty"`
	NotFound    bool   `json:"not_found,omitempty"`
	Entries     int    `json:"entries,omitempty"`
	Secrets     int    `json:"secrets,omitempty"`
	Locked      bool   `json:"locked,omitempty"`
	NoPrompt    bool   `json:"no_prompt,omitempty"`
	State       string `json:"state,omitempty"`
	Provider    string `json:"provider,omitempty"`
	Timeout     bool   `json:"timeout,omitempty"`
	KeepsDelete bool   `json:"keeps_deleted,omitempty"`
	NoColl      bool   `json:"no_collection,omitempty"`
}

func result(err error) childResult {
	r := childResult{
		Unavailable: errors.Is(err, ErrUnavailable),
		Permission:  errors.Is(err, fs.ErrPermission),
		NotFound:    errors.Is(err, ErrNotFound),
		Locked:      errors.Is(err, ErrLocked),
		NoPrompt:    errors.Is(err, ErrNoPrompt),
		Timeout:     errors.Is(err, context.DeadlineExceeded),
		NoColl:      errors.Is(err, ErrNoCollection),
	}
	if err != nil {
		r.Err = err.Error()
	}
	return r
}

func childMain(mode string) int {
	ctx := context.Background()
	// Never Open("") here: that is the user's config dir (or their
	// ANYKEY_CONFIG_DIR), which a child would write keys.json into.
	if !filepath.IsAbs(os.Getenv(childDir)) {
		fmt.Fprintln(os.Stderr, "child: "+childDir+" must name the test's own directory")
		return 3
	}
	k, err := Open(os.Getenv(childDir))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	fake := newMapBackend()
	if os.Getenv(childReal) != "1" {
		k.be = fake
	}
	if d, err := time.ParseDuration(os.Getenv(childWait)); err == nil {
		k.timeout = d
	}
	name := os.Getenv(childName)
	rep := childReport{}
	switch mode {
	case "set":
		// Wait for the parent's go signal so all children race for the lock.
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if _, err := os.Stat(os.Getenv(childGo)); err == nil {
				break
			}
		}
		rep["set"] = result(k.Set(ctx, testEntry(name), "secret-"+name, false))
	case "probe":
		// Every operation once, against whatever keychain the env gives.
		rep["set"] = result(k.Set(ctx, testEntry(name), childSecret, false))
		rep["fake"] = childResult{Secrets: fake.len()} // what Set left behind
		_, err := k.Get(ctx, name)
		rep["get"] = result(err)
		// "kept" is in keys.json when the parent put it there; a name
		// that is, so Get must ask the keychain.
		_, err = k.Get(ctx, "kept")
		rep["get kept"] = result(err)
		es, err := k.List(ctx)
		r := result(err)
		r.Entries = len(es)
		rep["list"] = r
		rep["delete"] = result(k.Delete(ctx, name))
	case "states":
		// What list, get and the provider check say about every entry.
		es, err := k.List(ctx)
		r := result(err)
		r.Entries = len(es)
		rep["list"] = r
		locked, err := k.Locked(ctx)
		rep["collection"] = childResult{Locked: locked, Err: errText(err)}
		for _, e := range es {
			rep["state "+e.Name] = childResult{State: string(e.State())}
			_, err := k.Get(ctx, e.Name)
			rep["get "+e.Name] = result(err)
		}
		rep["provider"] = childResult{Provider: k.Provider(ctx).Name}
	case "save":
		rep["set"] = result(k.Set(ctx, testEntry(name), "secret-"+name, true))
	case "save-many":
		// manyKeys keys named name000, name001, …, each its own Set.
		var err error
		n := 0
		for ; n < manyKeys && err == nil; n++ {
			nm := fmt.Sprintf("%s%03d", name, n)
			err = k.Set(ctx, testEntry(nm), "secret-"+nm, false)
		}
		r := result(err)
		r.Entries = n
		rep["set"] = r
	case "ready":
		rep["ready"] = result(Ready(ctx, k))
		rep["provider"] = childResult{Provider: k.Provider(ctx).Name}
	case "list":
		// What list says, with no read of a secret (no unlock prompt).
		es, err := k.List(ctx)
		r := result(err)
		r.Entries = len(es)
		rep["list"] = r
		for _, e := range es {
			rep["state "+e.Name] = childResult{State: string(e.State())}
		}
		locked, err := k.Locked(ctx)
		rep["collection"] = childResult{Locked: locked, Err: errText(err)}
		rep["provider"] = childResult{Provider: k.Provider(ctx).Name}
	case "delete":
		rep["delete"] = result(k.Delete(ctx, name))
		p := k.Provider(ctx)
		rep["provider"] = childResult{Provider: p.Name, KeepsDelete: p.KeepsDeleted}
	default:
		fmt.Fprintln(os.Stderr, "unknown child mode", mode)
		return 3
	}
	if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
		return 3
	}
	return 0
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// manyKeys is how many keys the save-many child saves: the list budget's
// 100 (docs/performance.md).
const manyKeys = 100

// childSecret is the key the probe child stores; no error may contain it.
const childSecret = "anytype_childsecret_Zq8v"

// child prepares the test binary re-executed in mode with env added.
func child(t *testing.T, mode string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), exe)
	cmd.Env = append(os.Environ(), append([]string{childEnv + "=" + mode}, env...)...)
	return cmd
}

func parseReport(t *testing.T, out []byte, err error) childReport {
	t.Helper()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("child: %v: %s", err, ee.Stderr)
		}
		t.Fatalf("child: %v", err)
	}
	var rep childReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("child report %q: %v", out, err)
	}
	for step, r := range rep {
		if strings.Contains(r.Err, childSecret) {
			t.Errorf("%s: error text holds the secret: %q", step, r.Err)
		}
	}
	return rep
}

// TestConcurrentProcesses starts 20 processes that each save a different
// name at the same moment (the tray plus 20 `anykey pair` runs); every
// entry must survive. With a desktop session it uses the real keychain.
func TestConcurrentProcesses(t *testing.T) {
	for _, tc := range []struct {
		name string
		real bool
	}{{"FakeKeychain", false}, {"SecretService", true}} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.real {
				requireOSKeychain(t)
			}
			t.Parallel()
			const n = 20
			dir := t.TempDir()
			start := filepath.Join(t.TempDir(), "go")
			base := uniqueName(t, "proc")
			real := "0"
			if tc.real {
				real = "1"
				k := &Keyring{dir: dir, be: goKeyring{}, timeout: KeychainTimeout}
				t.Cleanup(func() { cleanupSecrets(t, k) })
			}
			var wg sync.WaitGroup
			reports := make([]childReport, n)
			errs := make([]error, n)
			outs := make([][]byte, n)
			for i := range n {
				cmd := child(t, "set", childDir+"="+dir, childName+"="+fmt.Sprintf("%s-%02d", base, i),
					childReal+"="+real, childGo+"="+start)
				wg.Go(func() { outs[i], errs[i] = cmd.Output() })
			}
			time.Sleep(50 * time.Millisecond) // let them start and wait
			if err := os.WriteFile(start, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			wg.Wait()
			for i := range n {
				reports[i] = parseReport(t, outs[i], errs[i])
				if e := reports[i]["set"].Err; e != "" {
					t.Errorf("child %d: Set: %s", i, e)
				}
			}
			entries, err := readIndex(filepath.Join(dir, indexName))
			if err != nil || len(entries) != n {
				t.Fatalf("keys.json has %d entries (%v), want %d", len(entries), err, n)
			}
			if !tc.real {
				return
			}
			k := &Keyring{dir: dir, be: goKeyring{}, timeout: KeychainTimeout}
			for _, e := range entries {
				if s, err := k.Get(t.Context(), e.Name); err != nil || s != "secret-"+e.Name {
					t.Errorf("Get(%s) = %q, %v", e.Name, s, err)
				}
			}
		})
	}
}
