package tray

import "strings"

// menuLabel escapes a label for a Win32 menu, which fyne.io/systray fills
// with InsertMenuItemW (MFT_STRING): "&" marks the access key and is
// hidden, "&&" shows one ampersand.
func menuLabel(s string) string { return strings.ReplaceAll(s, "&", "&&") }
