package keystore

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func TestSameName(t *testing.T) {
	t.Parallel()
	nfc, nfd := "caf\u00e9", "cafe\u0301"
	tests := []struct {
		a, b string
		same bool
	}{
		{"work", "work", true},
		{"Work", "work", true},
		{"WORK", "work", true},
		{nfc, nfd, true},
		{"CAF\u00c9", nfd, true},
		{"Straße", "STRASSE", false}, // simple folding, as Windows compares
		{"ΣΟΦΟΣ", "σοφος", true},     // final sigma folds with sigma
		{"ǅemal", "ǆemal", true},     // title-case digraph
		{"ǅ", "ǆ", true},             // title case digraph
		{"work", "work2", false},
		{"cafe", nfc, false},
		{"ı", "i", false}, // dotless i is its own letter
	}
	for _, tt := range tests {
		if got := SameName(tt.a, tt.b); got != tt.same {
			t.Errorf("SameName(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
	if NormalizeName(nfd) != nfc {
		t.Errorf("NormalizeName(NFD) is not NFC")
	}
}

func TestValidateNewName(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"-rf", "--force", "-", "", " x", "a/b", "\u0301", "\u0301x", "\u20ddkey"} {
		if err := ValidateNewName(bad); !errors.Is(err, ErrInvalidName) {
			t.Errorf("ValidateNewName(%q) = %v, want ErrInvalidName", bad, err)
		}
	}
	for _, good := range []string{"work", "a-b", "x-", "café", "日本語のキー", "🔑 key"} {
		if err := ValidateNewName(good); err != nil {
			t.Errorf("ValidateNewName(%q) = %v", good, err)
		}
	}
	// Names saved before the '-' rule stay usable.
	if err := ValidateName("-rf"); err != nil {
		t.Errorf("ValidateName(-rf) = %v: an old key would become unreachable", err)
	}
}

// sameNameConformance: one rule on every Store (and so on every OS): NFC
// storage, and a name equal after NFC and case folding is the same key.
func sameNameConformance(t *testing.T, newHarness func(t *testing.T) harness) {
	t.Parallel()
	h := newHarness(t)
	ctx := t.Context()
	base := strings.ToLower(uniqueName(t, "caf"))
	nfd := base + "e\u0301" // typed with a combining accent
	upper := strings.ToUpper(base) + "\u00c9"
	e := Entry{Name: nfd, APIURL: "http://127.0.0.1:31009", CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	if err := h.store.Set(ctx, e, "first", false); err != nil {
		t.Fatalf("Set: %v", err)
	}
	list, err := h.store.List(ctx)
	if err != nil || len(list) != 1 || list[0].Name != norm.NFC.String(nfd) {
		t.Fatalf("List = %+v, %v; want one entry stored NFC", list, err)
	}
	saved := list[0].Name
	e.Name = upper
	if err := h.store.Set(ctx, e, "second", false); !errors.Is(err, ErrExists) {
		t.Fatalf("Set of the same name in other case and form = %v, want ErrExists", err)
	}
	for _, spelling := range []string{nfd, upper, saved} {
		if got, err := h.store.Get(ctx, spelling); err != nil || got != "first" {
			t.Errorf("Get(%q) = %q, %v; want the one key", spelling, got, err)
		}
		if got, err := h.store.Lookup(ctx, spelling); err != nil || got.Name != saved {
			t.Errorf("Lookup(%q) = %+v, %v; want %q", spelling, got, err, saved)
		}
	}
	if err := h.store.Set(ctx, e, "second", true); err != nil {
		t.Fatalf("Set --force: %v", err)
	}
	list, err = h.store.List(ctx)
	if err != nil || len(list) != 1 || list[0].Name != saved {
		t.Fatalf("after replacing: List = %+v, %v; want one entry keeping its spelling %q", list, err, saved)
	}
	if got, err := h.store.Get(ctx, saved); err != nil || got != "second" {
		t.Errorf("Get after replacing = %q, %v", got, err)
	}
	if err := h.store.Delete(ctx, upper); err != nil {
		t.Fatalf("Delete(other spelling): %v", err)
	}
	if _, err := h.store.Get(ctx, saved); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete = %v, want ErrNotFound", err)
	}
}
