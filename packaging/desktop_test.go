package packaging

import (
	"strings"
	"testing"
)

// unquoteExec undoes escapeDesktopString and the Exec quoting, the way a
// desktop session splits Exec into argv (spec, "The Exec key").
func unquoteExec(t *testing.T, value string) []string {
	t.Helper()
	var s strings.Builder
	for i := 0; i < len(value); i++ {
		if value[i] == '\\' && i+1 < len(value) {
			i++
			switch value[i] {
			case 'n':
				s.WriteByte('\n')
			case 't':
				s.WriteByte('\t')
			case 'r':
				s.WriteByte('\r')
			case 's':
				s.WriteByte(' ')
			default:
				s.WriteByte(value[i])
			}
			continue
		}
		s.WriteByte(value[i])
	}
	in := s.String()
	var args []string
	var cur strings.Builder
	quoted, have := false, false
	for i := 0; i < len(in); i++ {
		c := in[i]
		switch {
		case quoted && c == '\\' && i+1 < len(in):
			i++
			cur.WriteByte(in[i])
		case c == '"':
			quoted, have = !quoted, true
		case !quoted && c == ' ':
			if have {
				args = append(args, cur.String())
				cur.Reset()
				have = false
			}
		case c == '%' && i+1 < len(in) && in[i+1] == '%':
			i++
			cur.WriteByte('%')
			have = true
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if quoted {
		t.Fatalf("unterminated quote in %q", value)
	}
	if have {
		args = append(args, cur.String())
	}
	return args
}

func entryValue(t *testing.T, data []byte, key string) string {
	t.Helper()
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, key+"="); ok {
			return v
		}
	}
	t.Fatalf("no %s= line in\n%s", key, data)
	return ""
}

func TestAutostartEntry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, exe, wantExec string
	}{
		{"plain", "/usr/bin/anykey", "/usr/bin/anykey tray"},
		{"space", "/home/a b/bin/anykey", `"/home/a b/bin/anykey" tray`},
		{"percent", "/opt/100%/anykey", "/opt/100%%/anykey tray"},
		{"quote and dollar", `/tmp/it's "$HOME"/anykey`, `"/tmp/it's \\"\\$HOME\\"/anykey" tray`},
		{"backslash", `/tmp/back\slash/anykey`, `"/tmp/back\\\\slash/anykey" tray`},
		{"unicode", "/home/zoë/bin/anykey", "/home/zoë/bin/anykey tray"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data, err := autostartEntry(tt.exe)
			if err != nil {
				t.Fatal(err)
			}
			exec := entryValue(t, data, "Exec")
			if exec != tt.wantExec {
				t.Errorf("Exec=%s, want %s", exec, tt.wantExec)
			}
			if got := unquoteExec(t, exec); len(got) != 2 || got[0] != tt.exe || got[1] != "tray" {
				t.Errorf("Exec splits into %q, want [%q tray]", got, tt.exe)
			}
			// Everything else is the packaged entry, unchanged.
			for _, key := range []string{"Type", "Name", "Icon", "Categories", "X-GNOME-Autostart-enabled"} {
				if got, want := entryValue(t, data, key), entryValue(t, desktopEntry, key); got != want {
					t.Errorf("%s=%s, want %s as packaged", key, got, want)
				}
			}
			if !desktopEntryEnabled(data) {
				t.Error("fresh autostart entry reads as disabled")
			}
		})
	}
	if _, err := autostartEntry("anykey"); err == nil {
		t.Error("relative executable accepted")
	}
}

func TestTryExecIsThePath(t *testing.T) {
	t.Parallel()
	data, err := autostartEntry("/home/a b/anykey")
	if err != nil {
		t.Fatal(err)
	}
	if got := entryValue(t, data, "TryExec"); got != "/home/a b/anykey" {
		t.Errorf("TryExec=%s", got)
	}
}

func TestDesktopEntryEnabled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"packaged", string(desktopEntry), true},
		{"hidden", "[Desktop Entry]\nType=Application\nHidden=true\n", false},
		{"hidden false", "[Desktop Entry]\nHidden=false\n", true},
		{"gnome disabled", "[Desktop Entry]\nX-GNOME-Autostart-enabled=false\n", false},
		{"spaces around =", "[Desktop Entry]\nHidden = true\n", false},
		{"other group ignored", "[Desktop Entry]\nName=x\n[Desktop Action y]\nHidden=true\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := desktopEntryEnabled([]byte(tt.body)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
