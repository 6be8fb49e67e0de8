//go:build tools

package tools

import (
	_ "github.com/josephspurrier/goversioninfo"
	_ "github.com/randall77/makefat"
)
