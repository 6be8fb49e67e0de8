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
		return "", fmt.Errorf("read launch agent: %w", err)
	}
	dict, err := parsePlistDict(data)
	if err != nil {
		return "", fmt.Errorf("read launch agent %s: %w", path, err)
	}
	if args, _ := dict["ProgramArguments"].([]any); len(args) > 0 {
		if exe, _ := args[0].(string); exe != "" {
			return exe, nil
		}
	}
	if exe, _ := dict["Program"].(string); exe != "" {
		return exe, nil
	}
	return "", fmt.Errorf("the launch agent %s names no program", path)
}
