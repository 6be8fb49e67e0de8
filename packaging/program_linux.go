package packaging

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

func autostartProgram() (string, error) {
	path, err := autostartPath()
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", ErrNoEntry
	}
	if err != nil {
		return "", fmt.Errorf("read autostart entry: %w", err)
	}
	exe := desktopTryExec(data)
	if exe == "" {
		return "", fmt.Errorf("the autostart entry %s names no program (no TryExec or Exec)", path)
	}
	return exe, nil
}
