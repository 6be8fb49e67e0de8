package packaging

import (
	"errors"
	"fmt"
)

func autostartProgram() (string, error) {
	v, err := hkcu{}.getString(runKey, runName)
	if errors.Is(err, errNoValue) {
		return "", ErrNoEntry
	}
	if err != nil {
		return "", fmt.Errorf("read Run value: %w", err)
	}
	return runProgram(v)
}
