package doctor

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"time"

	"github.com/anykey-app/anykey/clip"
	"github.com/anykey-app/anykey/internal/textsafe"
)

// clipWait bounds asking the display server about its clipboard
// (clip.Describe takes up to about 5 s on a display that does not answer).
const clipWait = 6 * time.Second

// checkClipboard says what writes the clipboard when anykey copies a key
// (clip.Describe, the same choice clip.Copy makes) and whether the copy is
// marked secret, so that clipboard managers and history skip it. Copy key
// is optional: get, env and exec hand keys out without it.
func checkClipboard(ctx context.Context, o Options) Finding {
	f := Finding{Piece: PieceClipboard, Title: "Clipboard", Facts: map[string]string{}}
	if runtime.GOOS == "linux" && o.Getenv("DISPLAY") == "" && o.Getenv("WAYLAND_DISPLAY") == "" {
		f.Status = Warning
		f.Found = "no display to copy to (DISPLAY and WAYLAND_DISPLAY are unset)"
		f.Fix = "use anykey get, env or exec here; copy works inside your desktop session"
		return f
	}
	type answer struct {
		t   clip.Tool
		err error
	}
	ch := make(chan answer, 1)
	go func() { t, err := clip.Describe(); ch <- answer{t, err} }()
	cctx, cancel := context.WithTimeout(ctx, clipWait)
	defer cancel()
	var a answer
	select {
	case <-cctx.Done():
		f.Status = Warning
		f.Found = "the display server did not say how to reach its clipboard in time"
		f.Fix = "restart your desktop session; anykey get, env and exec work meanwhile"
		return f
	case a = <-ch:
	}
	switch {
	case errors.Is(a.err, clip.ErrNoTool):
		f.Status = Warning
		f.Found = "nothing here can write the clipboard: Copy key cannot work"
		f.Fix = clip.InstallHint() + "; anykey get, env and exec work meanwhile"
		return f
	case a.err != nil:
		f.Status = Warning
		f.Found = "the clipboard cannot be reached: " + textsafe.Terminal(a.err.Error())
		f.Fix = "check DISPLAY / WAYLAND_DISPLAY; anykey get, env and exec work meanwhile"
		return f
	}
	f.Facts["tool"] = a.t.Name
	f.Facts["marks_secret"] = strconv.FormatBool(a.t.MarksSecret)
	f.Status = OK
	if a.t.MarksSecret {
		f.Found = a.t.Name + "; a copied key is marked secret, so clipboard managers skip it"
	} else {
		f.Found = a.t.Name + "; cannot mark a copy secret, so a clipboard manager may keep the key in its history"
	}
	if a.t.Note != "" {
		f.Found += " (" + textsafe.Terminal(a.t.Note) + ")"
	}
	return f
}
