package tray

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
	"github.com/anykey-app/anykey/keystore"
)

type note struct{ Title, Body string }

// recNotifier records notifications.
type recNotifier struct {
	mu    sync.Mutex
	notes []note
}

func (n *recNotifier) Notify(title, body string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.notes = append(n.notes, note{title, body})
	return nil
}

func (n *recNotifier) all() []note {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.notes)
}

func (n *recNotifier) titles() []string {
	var out []string
	for _, x := range n.all() {
		out = append(out, x.Title)
	}
	return out
}

// answerFunc answers one dialog.
type answerFunc func(ctx context.Context, d Dialog) (string, error)

// scriptPrompter answers dialogs in order from a script and records them.
type scriptPrompter struct {
	t        *testing.T
	mu       sync.Mutex
	entries  []answerFunc
	question error // Question's answer
	seen     []Dialog
	asked    []string // Question texts
}

func (p *scriptPrompter) Entry(ctx context.Context, d Dialog) (string, error) {
	p.mu.Lock()
	p.seen = append(p.seen, d)
	if len(p.entries) == 0 {
		p.mu.Unlock()
		p.t.Errorf("unexpected dialog %q", d.Title)
		return "", ErrCanceled
	}
	f := p.entries[0]
	p.entries = p.entries[1:]
	p.mu.Unlock()
	return f(ctx, d)
}

func (p *scriptPrompter) Question(ctx context.Context, title, text string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, text)
	return p.question
}

func (p *scriptPrompter) dialogs() []Dialog {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.seen)
}

func answer(s string) answerFunc {
	return func(context.Context, Dialog) (string, error) { return s, nil }
}

func fail(err error) answerFunc {
	return func(context.Context, Dialog) (string, error) { return "", err }
}

// acceptDefault answers a name dialog with its pre-filled default.
func acceptDefault(context.Context, Dialog) (string, error) { return "", errUseDefault }

var errUseDefault = fmt.Errorf("use default")

// codes answers code dialogs for the one challenge the flow makes: the
// first call waits for it, later ones read its code again.
type codes struct {
	s  *fakeanytype.Server
	mu sync.Mutex
	id string
}

func (c *codes) code(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.id == "" {
		id, code, err := c.s.WaitChallenge(ctx)
		c.id = id
		return code, err
	}
	code, _ := c.s.Code(c.id)
	return code, nil
}

// right answers with the code Anytype shows.
func (c *codes) right(ctx context.Context, _ Dialog) (string, error) { return c.code(ctx) }

// wrong answers with 4 digits that are not the code.
func (c *codes) wrong(ctx context.Context, _ Dialog) (string, error) {
	code, err := c.code(ctx)
	if code == "0000" {
		return "1111", err
	}
	return "0000", err
}

// recCopier records what went to the clipboard.
type recCopier struct {
	mu     sync.Mutex
	copies []string
	after  []time.Duration
	err    error
}

func (c *recCopier) Copy(s string, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	c.copies = append(c.copies, s)
	c.after = append(c.after, d)
	return nil
}

func (c *recCopier) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.copies)
}

type fakeAutostart struct {
	mu  sync.Mutex
	on  bool
	err error
}

func (f *fakeAutostart) Enabled() (bool, error) { f.mu.Lock(); defer f.mu.Unlock(); return f.on, f.err }
func (f *fakeAutostart) Enable() error          { f.mu.Lock(); defer f.mu.Unlock(); f.on = true; return f.err }
func (f *fakeAutostart) Disable() error         { f.mu.Lock(); defer f.mu.Unlock(); f.on = false; return f.err }

type recOpener struct {
	mu   sync.Mutex
	urls []string
	err  error
}

func (o *recOpener) Open(u string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.urls = append(o.urls, u)
	return o.err
}

// fakeRenderer keeps the last menu.
type fakeRenderer struct {
	mu    sync.Mutex
	items []Item
	look  Look
	n     int
	quit  chan struct{}
}

func (r *fakeRenderer) Render(ctx context.Context, items []Item, look Look, tooltip string, click func(Action)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.items, r.look = items, look
	r.n++
}

func (r *fakeRenderer) Quit() { close(r.quit) }

func (r *fakeRenderer) menu() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return labels(r.items, "")
}

// waitMenu polls until the rendered menu satisfies pred.
func (r *fakeRenderer) waitMenu(t *testing.T, within time.Duration, pred func([]string) bool) []string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		m := r.menu()
		if pred(m) {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("menu never matched within %s:\n%s", within, strings.Join(m, "\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// env is one App wired to fakes.
type env struct {
	app    *App
	srv    *fakeanytype.Server
	store  *keystore.Memory
	notes  *recNotifier
	prompt *scriptPrompter
	clip   *recCopier
	auto   *fakeAutostart
	open   *recOpener
	r      *fakeRenderer
	extra  []string // secrets saved by tests, also never to be shown
}

// deadURL is a loopback URL nothing listens on.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + l.Addr().String()
	l.Close()
	return u
}

func newEnv(t *testing.T, cfg fakeanytype.Config, urls ...string) *env {
	t.Helper()
	e := &env{
		srv:    fakeanytype.Start(t, cfg),
		store:  keystore.NewMemory(),
		notes:  &recNotifier{},
		prompt: &scriptPrompter{t: t},
		clip:   &recCopier{},
		auto:   &fakeAutostart{},
		open:   &recOpener{},
		r:      &fakeRenderer{quit: make(chan struct{})},
	}
	if len(urls) == 0 {
		urls = []string{e.srv.URL()}
	}
	app, err := NewApp(Deps{
		Version: "v1.2.3",
		Store:   e.store,
		APIURLs: urls,
		NewClient: func(u string) (Client, error) {
			return auth.NewClient(u, auth.WithTimeout(5*time.Second))
		},
		Notifier:   e.notes,
		Prompter:   &defaulting{e.prompt},
		Copier:     e.clip,
		ClearAfter: 45 * time.Second,
		Autostart:  e.auto,
		Opener:     e.open,
	})
	if err != nil {
		t.Fatal(err)
	}
	app.r = e.r
	e.app = app
	t.Cleanup(func() { e.checkNoSecretShown(t); e.checkHintsNameItems(t) })
	return e
}

// defaulting turns errUseDefault into the dialog's default answer.
type defaulting struct{ *scriptPrompter }

func (d *defaulting) Entry(ctx context.Context, dl Dialog) (string, error) {
	s, err := d.scriptPrompter.Entry(ctx, dl)
	if err == errUseDefault {
		return dl.Default, nil
	}
	return s, err
}

// click runs one action to completion.
func (e *env) click(k Kind, key string) {
	e.app.handle(context.Background(), Action{Kind: k, Key: key})
}

// checkNoSecretShown fails if any key the fake minted, or any saved
// secret, shows up in a notification or a dialog's text.
func (e *env) checkNoSecretShown(t *testing.T) {
	secrets := append(e.srv.Keys(), e.extra...)
	for _, k := range secrets {
		for _, n := range e.notes.all() {
			if strings.Contains(n.Title+n.Body, k) {
				t.Errorf("notification %q shows a key", n.Title)
			}
		}
		for _, d := range e.prompt.dialogs() {
			if strings.Contains(d.Title+d.Text+d.Default, k) {
				t.Errorf("dialog %q shows a key", d.Title)
			}
		}
	}
}

// mint makes a valid key on the fake server through the real client.
func (e *env) mint(t *testing.T, name string) string {
	t.Helper()
	ctx := t.Context()
	c, err := auth.NewClient(e.srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	ch, err := c.CreateChallenge(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	_, code, err := e.srv.WaitChallenge(ctx)
	if err != nil {
		t.Fatal(err)
	}
	k, err := c.CreateAPIKey(ctx, ch, code)
	if err != nil {
		t.Fatal(err)
	}
	return k.Secret
}

// save stores a key directly.
func (e *env) save(t *testing.T, name, secret string) {
	t.Helper()
	e.extra = append(e.extra, secret)
	err := e.store.Set(t.Context(), keystore.Entry{Name: name, APIURL: e.srv.URL(), CreatedAt: time.Now()}, secret, false)
	if err != nil {
		t.Fatal(err)
	}
}
