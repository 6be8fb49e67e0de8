//go:build darwin && !cgo

package clip

// Without cgo (a cross-compiled build) the pasteboard is written by
// pbcopy, which cannot add org.nspasteboard.ConcealedType.
func describe() (Tool, error) {
	if unsupported() {
		return Tool{}, ErrNoTool
	}
	return Tool{Name: "pbcopy", Note: "this build has no cgo: pbcopy cannot mark a copy secret; the .app build does"}, nil
}
