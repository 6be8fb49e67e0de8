//go:build race

package e2e

// raceBuild makes TestMain build anykey with -race too, so concurrency tests
// also catch data races inside the binary.
const raceBuild = true
