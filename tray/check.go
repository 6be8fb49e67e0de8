package tray

import (
	"context"
	"time"
)

// checkWait bounds Check this desktop…: the checks run side by side, each
// with its own deadline (a silent bus takes the longest, 5 s).
const checkWait = 15 * time.Second

// checkTitle is the title of the findings' dialog.
const checkTitle = "anykey — this desktop"

// checkDesktop runs the same checks as `anykey doctor` and shows the
// findings in a message dialog; where no dialog can be shown, the verdict
// goes out as a notification.
func (a *App) checkDesktop(ctx context.Context) {
	if a.d.CheckDesktop == nil {
		a.notify("Checking this desktop is not available here", "Run anykey doctor in a terminal instead.")
		return
	}
	cctx, cancel := context.WithTimeout(ctx, checkWait)
	r := a.d.CheckDesktop(cctx)
	cancel()
	if inf, ok := a.d.Prompter.(Informer); ok {
		dctx, cancel := context.WithTimeout(ctx, askWait)
		err := inf.Info(dctx, checkTitle, r.Summary())
		cancel()
		if err == nil {
			return
		}
		a.logf("showing the findings: %v", err)
	}
	a.progress(checkTitle, r.Verdict()+" Run anykey doctor in a terminal for every finding.")
}
