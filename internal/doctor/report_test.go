package doctor

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestReportVerdict(t *testing.T) {
	for _, tc := range []struct {
		name     string
		statuses []Status
		ok       bool
		verdict  string
	}{
		{"all ok", []Status{OK, OK, Info}, true, "Pairing and handing keys out work here."},
		{"warnings only", []Status{OK, Warning, Warning}, true, "Pairing and handing keys out work here (2 warnings)."},
		{"one warning", []Status{Warning}, true, "Pairing and handing keys out work here (1 warning)."},
		{"missing", []Status{Missing, Warning, OK}, false, "cannot work here until this is fixed: P0 (1 warning)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r Report
			for i, s := range tc.statuses {
				r.Findings = append(r.Findings, Finding{Piece: "p", Title: "P" + string(rune('0'+i)), Status: s, Found: "f", Fix: "do it"})
			}
			if r.OK() != tc.ok {
				t.Errorf("OK() = %v, want %v", r.OK(), tc.ok)
			}
			if v := r.Verdict(); !strings.HasSuffix(v, tc.verdict) {
				t.Errorf("Verdict() = %q, want it to end %q", v, tc.verdict)
			}
		})
	}
}

func TestWriteTextShowsFixOnlyWhenSomethingIsWrong(t *testing.T) {
	r := Report{Findings: []Finding{
		{Title: "Tray", Status: OK, Found: "watcher", Fix: "never shown"},
		{Title: "Anytype", Where: "http://127.0.0.1:31009", Status: Missing, Found: "nothing listens here", Fix: "start Anytype"},
		{Title: "Notifications", Status: Warning, Found: "none", Fix: "start one"},
	}}
	var b strings.Builder
	r.WriteText(&b)
	out := b.String()
	indent := strings.Repeat(" ", len("missing  Notifications  ")) // status, widest title
	for _, want := range []string{
		"ok       Tray           watcher\n",
		"missing  Anytype        http://127.0.0.1:31009: nothing listens here\n" + indent + "→ start Anytype\n",
		"warning  Notifications  none\n" + indent + "→ start one\n",
		"until this is fixed: Anytype at http://127.0.0.1:31009 (1 warning).\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "never shown") {
		t.Errorf("a fix shown for a piece that is ok:\n%s", out)
	}
}

func TestReportJSON(t *testing.T) {
	r := Report{OS: "linux", Findings: []Finding{{Piece: PieceTray, Title: "Tray", Status: Warning, Found: "x", Fix: "y", Facts: map[string]string{"desktop": "GNOME"}}}}
	r.Works = r.OK()
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"os":"linux","works":true,"findings":[{"piece":"tray","title":"Tray","status":"warning","found":"x","fix":"y","facts":{"desktop":"GNOME"}}]}`
	if string(data) != want {
		t.Errorf("JSON:\n%s\nwant\n%s", data, want)
	}
}

func TestSummary(t *testing.T) {
	r := Report{Findings: []Finding{
		{Title: "Tray", Status: OK, Found: "watcher", Fix: "never shown"},
		{Title: "Anytype", Where: "http://127.0.0.1:31009", Status: Missing, Found: "nothing listens here", Fix: "start Anytype"},
	}}
	const want = "Pairing or handing keys out cannot work here until this is fixed: Anytype at http://127.0.0.1:31009.\n" +
		"\nok — Tray: watcher" +
		"\nmissing — Anytype: http://127.0.0.1:31009: nothing listens here\n      → start Anytype"
	if got := r.Summary(); got != want {
		t.Errorf("Summary:\n%s\nwant\n%s", got, want)
	}
}

// TestWriteTextCleansOutsideText: a finding quotes what the machine holds
// (an address from the environment, a program's name), which may carry
// terminal controls or bidi characters; the text report shows it cleaned.
func TestWriteTextCleansOutsideText(t *testing.T) {
	r := Report{Findings: []Finding{
		{Title: "Session bus", Where: "unix:path=/tmp/x\x1b]0;pwned\a", Status: Warning, Found: "run by \u202eydobon", Fix: "unset \x1b[2JX"},
	}}
	var b strings.Builder
	r.WriteText(&b)
	for _, bad := range []string{"\x1b", "\a", "\u202e"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("the report holds %q raw:\n%q", bad, b.String())
		}
	}
}
