// Command genman writes anykey's man page (package manpage) to the file
// named by its argument: go generate ./internal/manpage.
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/anykey-app/anykey/internal/manpage"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: genman FILE")
		os.Exit(2)
	}
	var buf bytes.Buffer
	if err := manpage.Write(&buf); err != nil {
		fmt.Fprintln(os.Stderr, "genman:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[1], buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genman:", err)
		os.Exit(1)
	}
}
