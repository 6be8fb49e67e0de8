// Command getfloor is a bare go-keyring Get: it reads one secret and
// prints it, and does nothing else. scripts/bench.sh times it beside
// `anykey get NAME` as the floor of the standing budget "get ≤ 1.3× a bare
// go-keyring Get" (BRIEF; docs/performance.md): the same library call in a
// program with no other packages, so the ratio shows what anykey adds
// (its start-up included).
//
//	getfloor SERVICE USER
//
// Errors go to stderr with exit status 1.
package main

import (
	"fmt"
	"os"

	"github.com/zalando/go-keyring"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: getfloor SERVICE USER")
		os.Exit(2)
	}
	secret, err := keyring.Get(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "getfloor:", err)
		os.Exit(1)
	}
	fmt.Println(secret)
}
