//go:build !linux && !darwin && !windows

package packaging

func autostartPath() (string, error)  { return "", ErrUnsupported }
func autostartEnabled() (bool, error) { return false, ErrUnsupported }
func enableAutostart(string) error    { return ErrUnsupported }
func disableAutostart() error         { return ErrUnsupported }
