//go:build !(linux || freebsd || openbsd || netbsd || dragonfly || windows || darwin)

package clip

func describe() (Tool, error) {
	if unsupported() {
		return Tool{}, ErrNoTool
	}
	return Tool{Name: "clipboard"}, nil
}
