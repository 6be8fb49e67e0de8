package mcpbridge

import (
	"encoding/json"
	"fmt"
	"io"
	"testing"
)

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

func pipe() (*io.PipeReader, *io.PipeWriter) { return io.Pipe() }
