package tray

import (
	"context"
	"strings"
	"testing"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/packaging"
	"github.com/anykey-app/anykey/pairing"
)

// foreignClient answers every call the way auth.Client does when the API
// port belongs to another user: a *auth.ListenerError, nothing sent.
type foreignClient struct{ err error }

func (f foreignClient) Probe(context.Context) (auth.Server, error) { return auth.Server{}, f.err }
func (f foreignClient) Verify(context.Context, string) (auth.Validity, error) {
	return auth.Unreachable, f.err
}
func (f foreignClient) Check(context.Context, string) (auth.CheckResult, error) {
	return auth.CheckResult{Validity: auth.Unreachable}, f.err
}
func (f foreignClient) CreateChallenge(context.Context, string) (*auth.Challenge, error) {
	return nil, f.err
}
func (f foreignClient) CreateAPIKey(context.Context, *auth.Challenge, string) (*auth.Key, error) {
	return nil, f.err
}

func (foreignClient) BaseURL() string { return "http://127.0.0.1:31009" }

var _ pairing.Client = foreignClient{}

// TestForeignListenerTray: the status probe and the actions say whose port
// it is instead of "not running".
func TestForeignListenerTray(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	e.save(t, "work", "secret-of-work")
	lerr := &auth.ListenerError{Addr: "127.0.0.1:31009", Owner: "mallory", ID: "1001", Kind: auth.ErrForeignListener}
	e.app.d.NewClient = func(string) (Client, error) { return foreignClient{lerr}, nil }
	if c := e.app.refreshStatus(context.Background()); c != nil {
		t.Fatal("a foreign listener counted as Anytype")
	}
	if got := statusLabel(e.app.snapshot()); got != "Anytype: port held by another user" {
		t.Errorf("status line %q", got)
	}
	for _, k := range []Kind{ActVerify, ActNewKey} {
		before := len(e.notes.titles())
		if k == ActVerify {
			e.click(k, "work")
		} else {
			e.app.notRunning() // what New API key… and Add existing key… say
		}
		titles := e.notes.titles()
		if len(titles) == before || !strings.Contains(lastTitle(e), "another user") {
			t.Errorf("%v: notification %q, want the foreign-port one", k, lastTitle(e))
		}
	}
	if body := lastBody(e); !strings.Contains(body, "mallory") || !strings.Contains(body, auth.EnvTrustListenerOwner) {
		t.Errorf("body %q does not name the owner and the way out", body)
	}
}

// refusingAutostart refuses the way packaging does for a go run build.
type refusingAutostart struct{}

func (refusingAutostart) Enabled() (bool, error) { return false, nil }
func (refusingAutostart) Enable() error {
	return &packaging.NotInstalledError{Path: "/tmp/go-build1/b001/exe/anykey", Reason: "is in the temp dir /tmp"}
}
func (refusingAutostart) Disable() error { return nil }

func TestAutostartRefusedSaysSo(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeanytype.Config{})
	e.app.d.Autostart = refusingAutostart{}
	e.click(ActAutostart, "")
	if got := lastTitle(e); got != "Start at login needs an installed anykey" {
		t.Errorf("notification %q", got)
	}
	if body := lastBody(e); !strings.Contains(body, "Install anykey first") {
		t.Errorf("body %q lacks the install hint", body)
	}
	if it, ok := findItem(buildMenu(e.app.snapshot()), LabelAutostart); !ok || it.Checked {
		t.Errorf("Start at login ticked after a refusal")
	}
}

func lastBody(e *env) string {
	all := e.notes.all()
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1].Body
}
