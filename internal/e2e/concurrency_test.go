package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// startTray starts `anykey tray` in s and waits for its menu on the bus.
// It returns nil (and logs why) when the tray does not come up, unless CI
// is set: the tray is another engineer's part and may not have landed.
func startTray(t *testing.T, s *sandbox) *proc {
	t.Helper()
	if desktoptest.Missing(desktoptest.Display, desktoptest.TrayHost) != "" {
		desktoptest.Require(t, desktoptest.Display, desktoptest.TrayHost)
	}
	p := s.start(runOpts{}, "tray")
	t.Cleanup(func() {
		p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			p.cmd.Process.Kill()
			<-p.done
		}
		if noDump.MatchString(p.res.stderr) {
			t.Errorf("the tray crashed:\n%s", p.res)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := desktoptest.FindTray(ctx, p.cmd.Process.Pid); err != nil {
		if desktoptest.InCI() {
			t.Fatalf("the tray did not show up on the bus: %v\n%s", err, p.stderr)
		}
		t.Logf("the tray did not show up (%v); continuing without it", err)
		return nil
	}
	return p
}

// TestConcurrentPair runs 20 `anykey pair` processes at once against one
// fake server while the tray runs, and checks nothing was lost or doubled.
//
// Each process must get the code of its own challenge. The fake's codes are
// random, so the processes are started one after another, each only once
// the previous one's challenge exists: WaitChallenge's next challenge is
// then the new process's. All 20 then wait for their code at the same
// time, and the codes go in at once, so the solving and saving (keychain
// plus keys.json under its lock) race for real.
func TestConcurrentPair(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	const n = 20
	fake := fakeanytype.Start(t, fakeanytype.Config{ChallengeCap: 100})
	s := newSandbox(t, fake.URL())
	tray := startTray(t, s)

	names := make([]string, n)
	procs := make([]*proc, n)
	codes := make([]string, n)
	for i := range n {
		names[i] = s.name(fmt.Sprintf("conc%02d", i))
		procs[i] = s.start(runOpts{}, "pair", names[i])
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_, code, err := fake.WaitChallenge(ctx)
		cancel()
		if err != nil {
			t.Fatalf("process %d created no challenge: %v", i, err)
		}
		codes[i] = code
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			procs[i].stdin.Write([]byte(codes[i] + "\n"))
			procs[i].stdin.Close()
		})
	}
	wg.Wait()
	for i, p := range procs {
		if r := p.wait(t, 90*time.Second); r.code != 0 {
			t.Errorf("pair %d failed:\n%s", i, r)
		}
	}

	keys := fake.Keys()
	if len(keys) != n {
		t.Fatalf("fake minted %d keys, want %d", len(keys), n)
	}
	var got []string
	for _, name := range names {
		v := secret(t, name)
		if !slices.Contains(keys, v) {
			t.Errorf("%s: the keychain holds no key Anytype minted", name)
		}
		got = append(got, v)
	}
	slices.Sort(got)
	if len(slices.Compact(got)) != n {
		t.Errorf("two names share a secret: keys were mixed up")
	}
	var index struct {
		Keys []struct{ Name string } `json:"keys"`
	}
	data, err := os.ReadFile(s.index())
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &index); err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, k := range index.Keys {
		listed = append(listed, k.Name)
	}
	slices.Sort(listed)
	want := slices.Clone(names)
	slices.Sort(want)
	if !slices.Equal(listed, want) {
		t.Errorf("keys.json lists %d names %v, want the %d paired", len(listed), listed, n)
	}
	if tray != nil {
		select {
		case <-tray.done:
			t.Errorf("the tray exited during the pairings:\n%s", tray.res)
		default:
		}
	}
}

// TestTwoTrays: a second tray in the same session says so and exits 0.
func TestTwoTrays(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display, desktoptest.TrayHost, desktoptest.SecretService)
	s := newSandbox(t, closedURL(t))
	if startTray(t, s) == nil {
		t.Skip("the tray is not ready")
	}
	r := s.run("", "tray")
	if r.code != 0 || !strings.Contains(r.stderr, "already running") {
		t.Errorf("second tray:\n%s", r)
	}
}

// TestRmRacesCopy runs rm and copy of the same key at the same time, many
// times. Whatever order they land in: no crash, rm succeeds, the key is
// gone from the keychain and keys.json, and once the clear delay passed no
// copy left the key on the clipboard.
func TestRmRacesCopy(t *testing.T) {
	desktoptest.Require(t, desktoptest.Display, desktoptest.SecretService)
	if _, err := exec.LookPath(clipTool()); err != nil {
		desktoptest.Require(t, desktoptest.Component(clipTool())) // fails under CI, skips elsewhere
	}
	desktoptest.LockGUI(t) // the clipboard is shared by every test binary
	fake := fakeanytype.Start(t, fakeanytype.Config{})
	s := newSandbox(t, fake.URL())
	_, key := pairOne(t, s, fake, "race-seed")
	copied := 0
	for i := range 12 {
		name := s.name(fmt.Sprintf("race%02d", i))
		if r := s.run(key+"\n", "add", name); r.code != 0 {
			t.Fatalf("add:\n%s", r)
		}
		cp := s.start(runOpts{}, "copy", name, "--clear-after", "1s")
		cp.stdin.Close()
		rm := s.start(runOpts{}, "rm", name)
		rm.stdin.Close()
		rc, rr := cp.wait(t, 30*time.Second), rm.wait(t, 30*time.Second)
		if rr.code != 0 {
			t.Errorf("rm lost the race to copy:\n%s", rr)
		}
		switch rc.code {
		case 0:
			copied++
		case 1:
			wantFailure(t, rc, 1, `no key named|missing from the keychain`)
		default:
			t.Errorf("copy:\n%s", rc)
		}
		for _, r := range []result{rc, rr} {
			if noDump.MatchString(r.stderr) || strings.Contains(r.stdout+r.stderr, key) {
				t.Errorf("crash or key in output:\n%s", r)
			}
		}
		if secret(t, name) != "" {
			t.Errorf("%s: secret left in the keychain after rm", name)
		}
		noEntry(t, s, name)
	}
	t.Logf("copy won the race %d of 12 times", copied)
	time.Sleep(2 * time.Second) // past every helper's 1 s clear delay
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if v, _ := desktoptest.ReadClipboard(ctx); strings.Contains(v, key) {
		t.Errorf("the key is still on the clipboard after rm and the clear delay")
	}
}
