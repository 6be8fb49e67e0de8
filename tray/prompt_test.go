package tray

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// fakeKdialog writes a kdialog stand-in that records its argv, prints out
// and exits with code.
func fakeKdialog(t *testing.T, out string, code int) (path, argsFile string) {
	t.Helper()
	dir := t.TempDir()
	argsFile = filepath.Join(dir, "args")
	path = filepath.Join(dir, "kdialog")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + argsFile + "'\nprintf '%s' '" + out + "'\nexit " + string(rune('0'+code)) + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, argsFile
}

func TestDialogsKdialogFallback(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("kdialog is the Linux fallback")
	}
	cases := []struct {
		name     string
		dialog   Dialog
		out      string
		code     int
		want     string
		wantErr  error
		wantArgs []string
	}{
		{"inputbox", Dialog{Title: "T", Text: "Name:", Default: "anykey-2"}, "work\n", 0, "work", nil,
			[]string{"--title", "T", "--inputbox", "Name:", "anykey-2"}},
		{"password keeps the answer off argv", Dialog{Title: "T", Text: "Key:", Hidden: true}, "s3cret\n", 0, "s3cret", nil,
			[]string{"--title", "T", "--password", "Key:"}},
		{"cancel is exit 1", Dialog{Title: "T", Text: "Name:"}, "", 1, "", ErrCanceled, nil},
		{"empty answer is cancel", Dialog{Title: "T", Text: "Name:"}, "  \n", 0, "", ErrCanceled, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			kd, argsFile := fakeKdialog(t, tc.out, tc.code)
			d := Dialogs{
				zenityOK: func() bool { return false },
				lookPath: func(n string) (string, error) {
					if n == "kdialog" {
						return kd, nil
					}
					return "", exec.ErrNotFound
				},
				getenv: func(k string) string { return map[string]string{"DISPLAY": ":9"}[k] },
			}
			got, err := d.Entry(t.Context(), tc.dialog)
			if got != tc.want || !errors.Is(err, tc.wantErr) {
				t.Errorf("Entry = %q, %v; want %q, %v", got, err, tc.want, tc.wantErr)
			}
			if tc.wantArgs != nil {
				b, _ := os.ReadFile(argsFile)
				if args := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"); !slices.Equal(args, tc.wantArgs) {
					t.Errorf("kdialog argv %q, want %q", args, tc.wantArgs)
				}
			}
		})
	}
}

func TestDialogsQuestionKdialog(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("kdialog is the Linux fallback")
	}
	for _, tc := range []struct {
		code int
		want error
	}{{0, nil}, {1, ErrCanceled}} {
		kd, _ := fakeKdialog(t, "", tc.code)
		d := Dialogs{
			zenityOK: func() bool { return false },
			lookPath: func(string) (string, error) { return kd, nil },
			getenv:   func(string) string { return "wayland-0" },
		}
		if err := d.Question(t.Context(), "T", "Remove?"); !errors.Is(err, tc.want) {
			t.Errorf("exit %d: Question = %v, want %v", tc.code, err, tc.want)
		}
	}
}

func TestDialogsUnavailable(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("only Linux needs DISPLAY and a dialog tool")
	}
	none := func(string) (string, error) { return "", exec.ErrNotFound }
	cases := []struct {
		name string
		d    Dialogs
		want error
	}{
		{"no display", Dialogs{zenityOK: func() bool { return true }, lookPath: none, getenv: func(string) string { return "" }}, ErrNoDisplay},
		{"no tool", Dialogs{zenityOK: func() bool { return false }, lookPath: none, getenv: func(string) string { return ":0" }}, ErrNoDialogTool},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := tc.d.Entry(context.Background(), Dialog{Title: "T"}); !errors.Is(err, tc.want) {
				t.Errorf("Entry: %v, want %v", err, tc.want)
			}
			if err := tc.d.Question(context.Background(), "T", "?"); !errors.Is(err, tc.want) {
				t.Errorf("Question: %v, want %v", err, tc.want)
			}
		})
	}
}
