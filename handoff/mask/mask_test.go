package mask

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

const key = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/abcd="

func TestWholeWrites(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"none", "plain text\n", "plain text\n"},
		{"one", "Authorization: Bearer " + key + "\n", "Authorization: Bearer " + Mask + "\n"},
		{"twice", key + key, Mask + Mask},
		{"json-headers", `{"Authorization":"Bearer ` + key + `"}`, `{"Authorization":"Bearer ` + Mask + `"}`},
		{"near-miss", key[:len(key)-1] + "!", key[:len(key)-1] + "!"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			w := NewWriter(&b, key)
			if n, err := w.Write([]byte(tt.in)); err != nil || n != len(tt.in) {
				t.Fatalf("Write = %d, %v", n, err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}

// TestSplitEverywhere writes a line holding the key in two and three pieces
// at every split point: the key never reaches the output.
func TestSplitEverywhere(t *testing.T) {
	line := "request failed: Authorization: Bearer " + key + " (401)\n"
	want := "request failed: Authorization: Bearer " + Mask + " (401)\n"
	for i := 0; i <= len(line); i++ {
		for j := i; j <= len(line); j += 7 {
			var b bytes.Buffer
			w := NewWriter(&b, key)
			for _, part := range []string{line[:i], line[i:j], line[j:]} {
				w.Write([]byte(part))
				if strings.Contains(b.String(), key) {
					t.Fatalf("split %d/%d: key reached the output", i, j)
				}
			}
			if b.String() != want {
				t.Fatalf("split %d/%d: before Close got %q, want %q", i, j, b.String(), want)
			}
			w.Close()
		}
	}
}

// TestByteAtATime is a server that writes one byte per call.
func TestByteAtATime(t *testing.T) {
	in := "x " + key + " y " + key[:10] + "\n"
	var b bytes.Buffer
	w := NewWriter(&b, key)
	for i := range len(in) {
		w.Write([]byte{in[i]})
	}
	w.Close()
	if want := "x " + Mask + " y " + key[:10] + "\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// TestHoldsOnlyAPrefix checks that text that cannot start the key is not
// delayed, and that a held prefix comes out on Close.
func TestHoldsOnlyAPrefix(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b, key)
	w.Write([]byte("waiting for Anytype…\n"))
	if b.String() != "waiting for Anytype…\n" {
		t.Fatalf("a line that cannot start the key was held: %q", b.String())
	}
	w.Write([]byte("tail " + key[:5]))
	if b.String() != "waiting for Anytype…\ntail " {
		t.Fatalf("got %q", b.String())
	}
	w.Close()
	if !strings.HasSuffix(b.String(), "tail "+key[:5]) {
		t.Fatalf("Close did not flush the held tail: %q", b.String())
	}
}

func TestSeveralSecrets(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b, "", "short", "shortlonger")
	w.Write([]byte("a shortlonger b short c"))
	w.Close()
	if want := "a " + Mask + " b " + Mask + " c"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestWriteErrorSticks(t *testing.T) {
	w := NewWriter(failWriter{}, key)
	if _, err := w.Write([]byte("x\n")); err == nil {
		t.Fatal("want the underlying error")
	}
	if _, err := w.Write([]byte("y\n")); err == nil {
		t.Fatal("want the error again")
	}
	if err := w.Close(); err == nil {
		t.Fatal("want the error from Close")
	}
}

// BenchmarkWrite is ordinary log lines of 961 bytes: the common case.
func BenchmarkWrite(b *testing.B) {
	line := []byte(strings.Repeat("some ordinary log text, ", 40) + "\n")
	w := NewWriter(io.Discard, key)
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		w.Write(line)
	}
}

// BenchmarkWriteFailedCall is what anytype-mcp prints for a failed call: the
// request with its Authorization header, every line holding the key.
func BenchmarkWriteFailedCall(b *testing.B) {
	dump := []byte(strings.Repeat(`  headers: { Authorization: 'Bearer `+key+`', 'Anytype-Version': '2025-11-08' },`+"\n", 10))
	w := NewWriter(io.Discard, key)
	b.SetBytes(int64(len(dump)))
	for b.Loop() {
		w.Write(dump)
	}
}
