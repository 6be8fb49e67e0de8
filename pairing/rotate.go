package pairing

import (
	"fmt"
	"time"

	"github.com/anykey-app/anykey/keystore"
)

// dateText is how a rotation's notes write a time: local, to the minute,
// as anykey list shows it.
func dateText(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

// oldExpired reports whether the saved entry's expiry (as Anytype's whoami
// gave it when the key was saved) has passed; false when it is unknown or
// unreadable (keys.json is input).
func oldExpired(old keystore.Entry, now time.Time) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, old.ExpiresAt)
	return t, err == nil && !t.After(now)
}

// KeptNote is what a failed rotation says about the saved key: it was not
// changed, and works as before unless it had already expired. Lowercase,
// for the command line; the tray capitalises it.
func KeptNote(old keystore.Entry, now time.Time) string {
	if t, ok := oldExpired(old, now); ok {
		return fmt.Sprintf("the saved key %q was not changed (it expired on %s)", old.Name, dateText(t))
	}
	return fmt.Sprintf("the saved key %q was not changed: it works as before", old.Name)
}

// RevokeNote is what a rotation ends with: how to find the old key in
// Anytype's Settings → API Keys. Anytype lists a key under the app name it
// was paired with — the anykey name, for a key anykey paired — so the
// date tells the two apart; a key made in Settings (or by anytype-cli or
// the web clipper) and added to anykey keeps the name it was made under.
// A rotation does not revoke anything, and an expired old key is not
// said to work.
func RevokeNote(old, cur keystore.Entry, now time.Time) string {
	which := fmt.Sprintf("the older of the two keys named %q (created %s; the new one is from %s), or, if you made the old key there and added it, the one under the name you gave it",
		cur.Name, dateText(old.CreatedAt), dateText(cur.CreatedAt))
	if t, ok := oldExpired(old, now); ok {
		return fmt.Sprintf("the old key expired on %s; to remove it, in Anytype, Settings → API Keys, revoke %s", dateText(t), which)
	}
	return "the old key still works until you revoke it: in Anytype, Settings → API Keys, revoke " + which
}
