package mcpconfig

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// place writes data as c's file in env and returns its path.
func place(t *testing.T, c Client, env Env, data []byte) string {
	t.Helper()
	file := c.File(env)
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// installBounded is Install, failing the test if it does not return in 10 s.
func installBounded(t *testing.T, c Client, env Env) (Result, error) {
	t.Helper()
	type ret struct {
		res Result
		err error
	}
	ch := make(chan ret, 1)
	go func() {
		res, err := Install(context.Background(), c, env, keyless("work"), false)
		ch <- ret{res, err}
	}()
	select {
	case r := <-ch:
		return r.res, r.err
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: Install hangs", c.ID)
		return Result{}, nil
	}
}

// cycle installs and uninstalls in a HOME of its own, starting from data,
// and returns the file after each step.
func cycle(t *testing.T, c Client, data []byte) (installed, removed []byte) {
	t.Helper()
	env := testEnv(t)
	file := place(t, c, env, data)
	if _, err := Install(context.Background(), c, env, keyless("work"), false); err != nil {
		t.Fatal(err)
	}
	assertHolds(t, c, env, "work")
	installed, _ = os.ReadFile(file)
	if _, err := Uninstall(context.Background(), c, env, "work", false); err != nil {
		t.Fatal(err)
	}
	removed, _ = os.ReadFile(file)
	return installed, removed
}

// TestInstallKeepsTextForm: with a byte order mark or CRLF line ends, an
// install and an uninstall give exactly the bytes they give without, in
// the file's own form: the mark once, first, and every line end CRLF.
func TestInstallKeepsTextForm(t *testing.T) {
	for _, c := range fileClients() {
		data, _ := fixture(c)
		plainIn, plainOut := cycle(t, c, []byte(data))
		for _, form := range []textForm{{bom: true}, {crlf: true}, {bom: true, crlf: true}} {
			t.Run(c.ID, func(t *testing.T) {
				in, out := cycle(t, c, form.dress([]byte(data)))
				if want := form.dress(plainIn); !bytes.Equal(in, want) {
					t.Errorf("%+v: installed\n%q\nwant\n%q", form, in, want)
				}
				if want := form.dress(plainOut); !bytes.Equal(out, want) {
					t.Errorf("%+v: uninstalled\n%q\nwant\n%q", form, out, want)
				}
			})
		}
	}
}

// TestInstallRefusesOddFiles: a directory, a file over MaxFileSize and a
// file with the entry (or its container) twice are errors naming the
// file, which is left as it was.
func TestInstallRefusesOddFiles(t *testing.T) {
	for _, c := range fileClients() {
		t.Run(c.ID, func(t *testing.T) {
			env := testEnv(t)
			file := c.File(env)
			if err := os.MkdirAll(file, 0o700); err != nil {
				t.Fatal(err)
			}
			_, err := installBounded(t, c, env)
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "directory") {
				t.Errorf("directory: %v", err)
			}
			if _, err := c.ReadStatus(env); !errors.Is(err, ErrNotRegular) {
				t.Errorf("status of a directory: %v", err)
			}
			os.Remove(file)

			// Sparse: the size says it is too large before anything is read.
			f, err := os.Create(file)
			if err != nil {
				t.Fatal(err)
			}
			f.Truncate(MaxFileSize + 1)
			f.Close()
			if _, err := installBounded(t, c, env); !errors.Is(err, ErrTooLarge) {
				t.Errorf("huge file: %v", err)
			}
			if fi, _ := os.Stat(file); fi.Size() != MaxFileSize+1 {
				t.Errorf("huge file changed: %d bytes", fi.Size())
			}
			if _, err := os.Stat(file + BackupSuffix); err == nil {
				t.Error("a backup was written for a refused file")
			}
		})
	}
}

func TestInstallRefusesDuplicates(t *testing.T) {
	for _, c := range fileClients() {
		if c.Format == TOML {
			continue // TOML itself forbids a table twice: a parse error
		}
		entry := `{"command": "other"}`
		for name, data := range map[string]string{
			"entry twice":     `{"` + c.Container + `": {"anytype": ` + entry + `, "anytype": ` + entry + `}}`,
			"container twice": `{"` + c.Container + `": {}, "` + c.Container + `": {"anytype": ` + entry + `}}`,
		} {
			t.Run(c.ID+"/"+name, func(t *testing.T) {
				env := testEnv(t)
				file := place(t, c, env, []byte(data))
				_, err := installBounded(t, c, env)
				if !errors.Is(err, ErrParse) || !strings.Contains(err.Error(), "appears 2 times") || !strings.Contains(err.Error(), file) {
					t.Errorf("got %v", err)
				}
				if got, _ := os.ReadFile(file); string(got) != data {
					t.Error("the file was changed")
				}
			})
		}
	}
}

// TestInstallJSONCTrailingCommas: JSONC files with trailing commas are
// edited, the commas and comments kept.
func TestInstallJSONCTrailingCommas(t *testing.T) {
	for _, c := range fileClients() {
		if c.Format != JSONC {
			continue
		}
		t.Run(c.ID, func(t *testing.T) {
			env := testEnv(t)
			data := "{\n  // mine\n  \"a\": [1, 2,],\n  \"" + c.Container + "\": {\n    \"other\": {\"command\": \"x\",},\n  },\n}\n"
			file := place(t, c, env, []byte(data))
			if _, err := installBounded(t, c, env); err != nil {
				t.Fatal(err)
			}
			assertHolds(t, c, env, "work")
			got, _ := os.ReadFile(file)
			for _, k := range []string{"// mine", `"a": [1, 2,],`, `"other": {"command": "x",},`} {
				if !strings.Contains(string(got), k) {
					t.Errorf("lost %q:\n%s", k, got)
				}
			}
		})
	}
}
