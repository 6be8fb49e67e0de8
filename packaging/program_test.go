package packaging

import "testing"

func TestDesktopTryExecRoundTrip(t *testing.T) {
	for _, exe := range []string{"/usr/bin/anykey", "/home/a b/bin/any key", `/opt/we"ird$/100%/anykey`, "/tmp/tab\there/anykey"} {
		data, err := autostartEntry(exe)
		if err != nil {
			t.Fatal(err)
		}
		if got := desktopTryExec(data); got != exe {
			t.Errorf("TryExec of the entry for %q = %q", exe, got)
		}
		// An entry someone trimmed to Exec alone still names the program.
		var execOnly []byte
		for _, l := range splitLines(data) {
			if len(l) < 8 || l[:8] != "TryExec=" {
				execOnly = append(execOnly, l+"\n"...)
			}
		}
		if got := desktopTryExec(execOnly); got != exe {
			t.Errorf("Exec of the entry for %q = %q", exe, got)
		}
	}
}

func splitLines(b []byte) []string {
	var out []string
	start := 0
	for i, c := range b {
		if c == '\n' {
			out = append(out, string(b[start:i]))
			start = i + 1
		}
	}
	return out
}

func TestRunProgram(t *testing.T) {
	for v, want := range map[string]string{
		runCommand(`C:\Program Files\anykey\anykey.exe`): `C:\Program Files\anykey\anykey.exe`,
		`C:\anykey.exe tray`:                             `C:\anykey.exe`,
	} {
		if got, err := runProgram(v); err != nil || got != want {
			t.Errorf("runProgram(%q) = %q, %v; want %q", v, got, err, want)
		}
	}
	for _, v := range []string{`"C:\x`, ``, `""`} {
		if _, err := runProgram(v); err == nil {
			t.Errorf("runProgram(%q): no error", v)
		}
	}
}
