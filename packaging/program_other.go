//go:build !linux && !darwin && !windows

package packaging

func autostartProgram() (string, error) { return "", ErrUnsupported }
