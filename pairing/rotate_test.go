package pairing

import (
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/keystore"
)

func TestRotationNotes(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	old := keystore.Entry{Name: "work", CreatedAt: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)}
	cur := keystore.Entry{Name: "work", CreatedAt: now}
	cases := []struct {
		expires          string
		kept, revoke     string
		notKept, notRevk string
	}{
		{"", "works as before", "still works until you revoke it", "expired", "expired"},
		{"2027-01-01T00:00:00Z", "works as before", "still works until you revoke it", "expired", "expired"},
		{"2026-05-01T00:00:00+02:00", "(it expired on " + dateText(time.Date(2026, 4, 30, 22, 0, 0, 0, time.UTC)) + ")",
			"the old key expired on", "works as before", "still works"},
		// keys.json is input: an unreadable expiry is an unknown one.
		{"yesterday", "works as before", "still works until you revoke it", "expired", "expired"},
	}
	for _, tc := range cases {
		o := old
		o.ExpiresAt = tc.expires
		k, r := KeptNote(o, now), RevokeNote(o, cur, now)
		if !strings.Contains(k, `the saved key "work" was not changed`) || !strings.Contains(k, tc.kept) || strings.Contains(k, tc.notKept) {
			t.Errorf("expires %q: KeptNote = %q", tc.expires, k)
		}
		if !strings.Contains(r, tc.revoke) || strings.Contains(r, tc.notRevk) ||
			!strings.Contains(r, `Settings → API Keys, revoke the older of the two keys named "work" (created `+dateText(old.CreatedAt)+"; the new one is from "+dateText(now)+")") {
			t.Errorf("expires %q: RevokeNote = %q", tc.expires, r)
		}
	}
}
