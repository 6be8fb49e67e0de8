//go:build linux || freebsd || openbsd || netbsd

package tray

import "strings"

// menuLabel escapes a label for com.canonical.dbusmenu, which
// fyne.io/systray uses on these systems (it sends the label property as
// given): hosts read "_" as the access-key marker and hide it, and show
// "__" as one underscore. Without this a key named my_work_key shows as
// "myworkkey".
func menuLabel(s string) string { return strings.ReplaceAll(s, "_", "__") }
