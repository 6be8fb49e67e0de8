package textsafe

import "testing"

func TestTerminal(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"  padded  ", "padded"},
		{"bell\a and esc\x1b[31mred", "bell  and esc [31mred"},
		{"c1\u0085next\u009bcsi", "c1 next csi"},
		{"rtl \u202egnp.exe", "rtl  gnp.exe"},
		{"iso \u2066x\u2069 y", "iso  x  y"},
		{"lre\u202a lro\u202d pdf\u202c", "lre  lro  pdf"},
		{"mark\u200f\u200e\u061c", "mark"},
		{"line\u2028sep", "line sep"},
		{"bad \xff utf8", "bad   utf8"},
		{"nul\x00", "nul"},
		{"tab\tand\nnewline\r", "tab and newline"},
		{"ünïcödé ✓ 日本", "ünïcödé ✓ 日本"},
	} {
		if got := Terminal(tc.in); got != tc.want {
			t.Errorf("Terminal(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if !Clean(Terminal(tc.in)) {
			t.Errorf("Terminal(%q) is not Clean", tc.in)
		}
	}
}

func TestMarkup(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<b>bold</b> & <a href="http://x">link</a>`, `&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href="http://x"&gt;link&lt;/a&gt;`},
		{"&amp;", "&amp;amp;"},
		{"<img src=x>\u202e", "&lt;img src=x&gt;"},
	} {
		if got := Markup(tc.in); got != tc.want {
			t.Errorf("Markup(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzTerminal(f *testing.F) {
	f.Add("a\u202eb<c>&\x1b")
	f.Fuzz(func(t *testing.T, s string) {
		out := Terminal(s)
		for _, r := range out {
			if isUnsafe(r) {
				t.Fatalf("Terminal(%q) = %q keeps %U", s, out, r)
			}
		}
		if Terminal(out) != out {
			t.Fatalf("Terminal not idempotent on %q", s)
		}
		m := Markup(s)
		for _, r := range m {
			if r == '<' || r == '>' {
				t.Fatalf("Markup(%q) = %q keeps %q", s, m, r)
			}
		}
	})
}

func TestLines(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"one\ntwo", "one\ntwo"},
		{"a\x1b[2J\r\nb\u202ec", "a [2J\nb c"},
		{"x\ry", "x y"},
	} {
		if got := Lines(tc.in); got != tc.want {
			t.Errorf("Lines(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
