package tray

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

// TestRotate: Replace with a new key… pairs under the same name at the
// saved URL and replaces the key once the new one is saved; a failed
// rotation leaves the old key and says so.
func TestRotate(t *testing.T) {
	t.Parallel()
	t.Run("replaced", func(t *testing.T) {
		t.Parallel()
		// The API URL the tray probes leads nowhere: rotate uses the key's.
		e := newEnv(t, fakeanytype.Config{Whoami: true, PrefixedKeys: true}, "http://127.0.0.1:1")
		e.save(t, "work", "old-secret")
		c := &codes{s: e.srv}
		e.prompt.entries = []answerFunc{c.right}
		e.click(ActRotate, "work")
		keys := e.srv.Keys()
		got, err := e.store.Get(t.Context(), "work")
		if err != nil || len(keys) != 1 || got != keys[0] {
			t.Fatalf("saved %v, minted %d keys", err, len(keys))
		}
		n := e.notes.all()
		last := n[len(n)-1]
		if last.Title != `Key "work" replaced — the new one is on your clipboard` ||
			!strings.Contains(last.Body, `revoke the older of the two keys named "work"`) {
			t.Errorf("last notification %+v", last)
		}
		if en, _ := e.store.Lookup(t.Context(), "work"); en.APIURL != e.srv.URL() || en.Kind != "scoped" {
			t.Errorf("entry after rotate %+v", en)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, fakeanytype.Config{})
		e.save(t, "work", "old-secret")
		e.prompt.entries = []answerFunc{fail(ErrCanceled)}
		e.click(ActRotate, "work")
		if got, _ := e.store.Get(t.Context(), "work"); got != "old-secret" {
			t.Errorf("the old key was changed")
		}
		n := e.notes.all()
		last := n[len(n)-1]
		if last.Title != "Pairing cancelled" || !strings.Contains(last.Body, `The saved key "work" was not changed`) {
			t.Errorf("last notification %+v", last)
		}
	})
	t.Run("anytype down", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, fakeanytype.Config{})
		if err := e.store.Set(t.Context(), keystore.Entry{Name: "work", APIURL: "http://127.0.0.1:1"}, "old-secret", false); err != nil {
			t.Fatal(err)
		}
		e.extra = append(e.extra, "old-secret")
		e.click(ActRotate, "work")
		if e.srv.Challenges() != 0 || len(e.prompt.dialogs()) != 0 {
			t.Errorf("asked something of a dead Anytype")
		}
		if got := lastTitle(e); got != `Cannot replace "work" right now` {
			t.Errorf("notification %q", got)
		}
	})
}

// TestKeyLabelMarks: the label of each kind of key, and the one
// notification about keys that expire.
func TestKeyLabelMarks(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	cases := []struct {
		e    keystore.Entry
		want string
	}{
		{keystore.Entry{Name: "legacy", Kind: "legacy"}, "legacy"},
		{keystore.Entry{Name: "allrw", Kind: "scoped", Grant: json.RawMessage(`{"all_spaces":true,"space_ids":[],"permission":"readwrite"}`)}, "allrw"},
		{keystore.Entry{Name: "oneread", Kind: "scoped", Grant: json.RawMessage(`{"all_spaces":false,"space_ids":["b"],"permission":"read"}`)}, "oneread (/v2 only)"},
		{keystore.Entry{Name: "misread", Grant: json.RawMessage(`{"all_spaces":false}`)}, "misread"},
		{keystore.Entry{Name: "clipper", Kind: "limited"}, "clipper (Limited: /v1 only)"},
		{keystore.Entry{Name: "soon", ExpiresAt: at(72 * time.Hour)}, "soon (expires " + now.Add(72*time.Hour).Local().Format("Jan 2") + ")"},
		{keystore.Entry{Name: "later", ExpiresAt: at(30 * 24 * time.Hour)}, "later"},
		{keystore.Entry{Name: "gone", ExpiresAt: at(-time.Hour)}, "gone (expired)"},
		{keystore.Entry{Name: "junk", ExpiresAt: "someday"}, "junk"},
	}
	for _, tc := range cases {
		if got := keyLabel(tc.e, now); got != tc.want {
			t.Errorf("keyLabel(%s) = %q, want %q", tc.e.Name, got, tc.want)
		}
	}

	e := newEnv(t, fakeanytype.Config{})
	for _, k := range []keystore.Entry{
		{Name: "a", ExpiresAt: time.Now().Add(-time.Hour).Format(time.RFC3339)},
		{Name: "b", ExpiresAt: time.Now().Add(48 * time.Hour).Format(time.RFC3339)},
		{Name: "c", ExpiresAt: time.Now().Add(60 * 24 * time.Hour).Format(time.RFC3339)},
	} {
		k.APIURL = e.srv.URL()
		if err := e.store.Set(t.Context(), k, "s-"+k.Name, false); err != nil {
			t.Fatal(err)
		}
		e.extra = append(e.extra, "s-"+k.Name)
	}
	e.app.loadKeys(t.Context())
	e.app.loadKeys(t.Context()) // a second look announces nothing new
	n := e.notes.all()
	if len(n) != 1 || n[0].Title != "2 keys have expired or expire within a week" ||
		!strings.Contains(n[0].Body, `no longer accepts "a"`) || !strings.Contains(n[0].Body, `"b" within 7 days`) ||
		!strings.Contains(n[0].Body, "Replace with a new key…") || strings.Contains(n[0].Body, `"c"`) {
		t.Errorf("notifications %+v", n)
	}
}

// TestCheckNoteExpiry: Verify's note on a key Anytype accepted never says
// a past expiry is still ahead ("It expires on" a date gone by).
func TestCheckNoteExpiry(t *testing.T) {
	past := time.Now().Add(-time.Hour)
	if n := checkNote(auth.CheckResult{Validity: auth.Valid, ExpiresAt: past}); !strings.Contains(n, "has passed by this computer's clock, yet Anytype still accepted it") || strings.Contains(n, "It expires") {
		t.Errorf("past expiry: %q", n)
	}
	future := time.Now().Add(48 * time.Hour)
	if n := checkNote(auth.CheckResult{Validity: auth.Valid, ExpiresAt: future}); !strings.Contains(n, "It expires on "+future.Local().Format("2006-01-02 15:04")) {
		t.Errorf("future expiry: %q", n)
	}
	if n := checkNote(auth.CheckResult{Validity: auth.Valid}); n != "" {
		t.Errorf("no expiry: %q", n)
	}
}
