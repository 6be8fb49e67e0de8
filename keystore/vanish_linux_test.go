package keystore

import (
	"errors"
	"testing"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
	ss "github.com/zalando/go-keyring/secret_service"
)

// vanishBackend answers the first vanish calls to get and delete with the
// error gnome-keyring gives for an item deleted mid-call, then behaves.
type vanishBackend struct {
	*mapBackend
	vanish int
}

var errGone = dbus.Error{Name: "org.freedesktop.DBus.Error.UnknownMethod",
	Body: []any{"Object does not exist at path “/org/freedesktop/secrets/collection/login/7”"}}

func (b *vanishBackend) get(s, u string) (string, error) {
	if b.vanish > 0 {
		b.vanish--
		return "", errGone
	}
	return b.mapBackend.get(s, u)
}

func (b *vanishBackend) delete(s, u string) error {
	if b.vanish > 0 {
		b.vanish--
		return errGone
	}
	return b.mapBackend.delete(s, u)
}

// TestItemVanishedMidCall: an item deleted while Get or Delete runs (rm
// racing copy, or two rms) is not found, not "keychain not available";
// a provider that keeps answering so still is unavailable.
func TestItemVanishedMidCall(t *testing.T) {
	t.Parallel()
	be := &vanishBackend{mapBackend: newMapBackend()}
	k := testKeyring(t, be)
	if err := writeIndex(k.dir, []Entry{testEntry("listed")}); err != nil {
		t.Fatal(err)
	}
	be.vanish = 1
	if _, err := k.Get(t.Context(), "gone"); !errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnavailable) {
		t.Errorf("Get(unlisted, vanished) = %v, want ErrNotFound", err)
	}
	be.vanish = 1
	if _, err := k.Get(t.Context(), "listed"); !errors.Is(err, ErrSecretMissing) {
		t.Errorf("Get(listed, vanished) = %v, want ErrSecretMissing", err)
	}
	be.vanish = 1
	if err := k.Delete(t.Context(), "listed"); err != nil {
		t.Errorf("Delete(vanished) = %v, want nil", err)
	}
	if _, err := k.Lookup(t.Context(), "listed"); !errors.Is(err, ErrNotFound) {
		t.Errorf("entry left after Delete: Lookup = %v", err)
	}
	if err := k.Set(t.Context(), testEntry("stuck"), "s", false); err != nil {
		t.Fatal(err)
	}
	be.vanish = 2
	if _, err := k.Get(t.Context(), "stuck"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Get(vanished twice) = %v, want ErrUnavailable", err)
	}
}

// TestItemVanishedRealDaemon checks itemVanished against what the desktop
// session's Secret Service really answers for a deleted item, the calls
// go-keyring makes after its search.
func TestItemVanishedRealDaemon(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	name := uniqueName(t, "vanish")
	if err := keyring.Set(service, name, "s"); err != nil {
		t.Fatal(err)
	}
	svc, err := ss.NewSecretService()
	if err != nil {
		t.Fatal(err)
	}
	paths, err := svc.SearchItems(svc.GetLoginCollection(), map[string]string{"service": service, "username": name})
	if err != nil || len(paths) != 1 {
		t.Fatalf("SearchItems = %v, %v", paths, err)
	}
	if err := keyring.Delete(service, name); err != nil {
		t.Fatal(err)
	}
	session, err := svc.OpenSession()
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close(session)
	_, err = svc.GetSecret(paths[0], session.Path())
	if !itemVanished(err) {
		t.Errorf("GetSecret on a deleted item = %#v, not recognised as vanished", err)
	}
	if err := svc.Delete(paths[0]); !itemVanished(err) {
		t.Errorf("Delete of a deleted item = %#v, not recognised as vanished", err)
	}
	if itemVanished(errors.New("Object does not exist")) || itemVanished(keyring.ErrNotFound) {
		t.Error("itemVanished accepts errors that are not D-Bus errors")
	}
}
