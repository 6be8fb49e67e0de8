//go:build !windows

package tray

import "context"

// fitEntryLabel is needed only for zenity's Windows dialog (see there);
// elsewhere the dialog tools size their label to the text.
func fitEntryLabel(context.Context, string, string) {}
