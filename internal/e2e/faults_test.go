package e2e

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// The fault matrix at the CLI level: each row runs the real binary into one
// failure and checks the one-line message, the exit status, and that
// nothing was saved (no keys.json entry, no secret in the keychain).

// closedURL is a loopback URL where nothing listens (connection refused).
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + l.Addr().String()
	l.Close()
	return u
}

func TestFaultAnytypeDown(t *testing.T) {
	t.Parallel()
	// pair checks that the key could be saved before it asks Anytype
	// for a challenge, and add saves: both need the Secret Service.
	desktoptest.Require(t, desktoptest.SecretService)
	s := newSandbox(t, closedURL(t))
	name := s.name("down")
	r := s.run("", "pair", name)
	wantFailure(t, r, 1, `Anytype is not running at http://127\.0\.0\.1:\d+`)
	if !strings.Contains(r.stderr, "anykey: hint: start Anytype") {
		t.Errorf("no hint to start Anytype:\n%s", r)
	}
	noEntry(t, s, name)
	if stat(t, s.dir()).exists {
		t.Errorf("a failed pair created %s", s.dir())
	}
}

// TestFaultServer injects each server fault at challenge creation and,
// separately, right after the challenge was created (so it hits solving).
func TestFaultServer(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	faults := []struct {
		name  string
		fault fakeanytype.Fault
		msg   string // expected message on stderr
	}{
		{"500", 0, ""}, // placeholder, replaced below per phase
		{"html502", fakeanytype.FaultHTML502, `unexpected answer from`},
		{"huge", fakeanytype.FaultHugeBody, `unexpected answer from`},
		{"reset", fakeanytype.FaultResetMidBody, `unexpected answer from|not running|did not answer`},
		{"garbage", fakeanytype.FaultGarbageJSON, `unexpected answer from`},
		{"hang", fakeanytype.FaultHang, `did not answer in time`},
	}
	for _, phase := range []string{"create", "solve"} {
		for _, f := range faults {
			f := f
			if f.name == "500" {
				if phase == "create" {
					f.fault, f.msg = fakeanytype.Fault500Create, `Anytype refused to start pairing`
				} else {
					f.fault, f.msg = fakeanytype.Fault500Solve, `Anytype did not accept any of the 5 codes`
				}
			}
			t.Run(phase+"-"+f.name, func(t *testing.T) {
				t.Parallel()
				fake := fakeanytype.Start(t, fakeanytype.Config{})
				s := newSandbox(t, fake.URL())
				name := s.name(f.name)
				if phase == "create" {
					fake.Fault(f.fault)
				}
				p := s.start(runOpts{}, "pair", name)
				if phase == "solve" {
					ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
					_, code, err := fake.WaitChallenge(ctx)
					cancel()
					if err != nil {
						t.Fatalf("no challenge: %v\n%s", err, p.wait(t, time.Second))
					}
					fake.Fault(f.fault)
					// Five right codes: only the fault can make them fail.
					p.stdin.Write([]byte(strings.Repeat(code+"\n", 5)))
					p.stdin.Close()
				}
				// create: stdin stays open and empty, as a terminal where
				// nobody typed yet (pair refuses a stdin at its end before
				// it asks for a challenge).
				r := p.wait(t, 40*time.Second)
				p.stdin.Close()
				wantFailure(t, r, 1, f.msg)
				if f.fault == fakeanytype.FaultHang && (r.took < 8*time.Second || r.took > 20*time.Second) {
					t.Errorf("gave up after %s, want about the 10 s deadline", r.took)
				}
				if f.fault == fakeanytype.FaultHugeBody && r.took > 10*time.Second {
					t.Errorf("a 64 MiB answer took %s: is the body read beyond the 1 MiB cap?", r.took)
				}
				if phase == "create" && fake.Challenges() > 1 {
					t.Errorf("%d challenges created, want at most 1 (never retry creation)", fake.Challenges())
				}
				noEntry(t, s, name)
				if v := secret(t, name); v != "" {
					t.Errorf("a secret was saved for %s after a failure", name)
				}
				if strings.TrimSpace(r.stdout) != "" {
					t.Errorf("stdout not empty: %q", r.stdout)
				}
			})
		}
	}
}

// TestFaultSlow: every answer is delayed past the client's 10 s deadline.
// The CLI has no knob for a shorter deadline, so this one test pays 10 s.
func TestFaultSlow(t *testing.T) {
	t.Parallel()
	// pair checks that the key could be saved before it asks Anytype
	// for a challenge, and add saves: both need the Secret Service.
	desktoptest.Require(t, desktoptest.SecretService)
	fake := fakeanytype.Start(t, fakeanytype.Config{Latency: 13 * time.Second})
	s := newSandbox(t, fake.URL())
	name := s.name("slow")
	r := s.run("", "pair", name)
	wantFailure(t, r, 1, `did not answer in time`)
	if r.took > 13*time.Second {
		t.Errorf("waited %s, longer than the server's latency: no client deadline?", r.took)
	}
	noEntry(t, s, name)
}

// TestServerGenerations: old and new servers pair and save the key minted.
func TestServerGenerations(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	for _, tc := range []struct {
		name    string
		cfg     fakeanytype.Config
		version string // api_version saved in keys.json
	}{
		{"oldest", fakeanytype.Config{Oldest: true}, ""},
		{"2025-03-17", fakeanytype.Config{Version: "2025-03-17"}, "2025-03-17"},
		{"2025-04-22", fakeanytype.Config{Version: "2025-04-22"}, "2025-04-22"},
		{"2025-05-20", fakeanytype.Config{Version: "2025-05-20"}, "2025-05-20"},
		{"2025-11-08", fakeanytype.Config{}, "2025-11-08"},
		{"approval", fakeanytype.Config{NeedsApproval: true, PrefixedKeys: true, Whoami: true}, "2025-11-08"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := fakeanytype.Start(t, tc.cfg)
			s := newSandbox(t, fake.URL())
			name := s.name(tc.name)
			r, code := s.pair(fake, name)
			if r.code != 0 || code == "" {
				t.Fatalf("pair failed (code typed %q):\n%s", code, r)
			}
			keys := fake.Keys()
			if len(keys) != 1 {
				t.Fatalf("fake minted %d keys, want 1", len(keys))
			}
			if got := secret(t, name); got != keys[0] {
				t.Errorf("keychain holds a different secret than the key Anytype minted")
			}
			if tc.cfg.NeedsApproval && !strings.Contains(strings.ToLower(r.stderr), "approve") {
				t.Errorf("a server that wants approval, but stderr never says to approve:\n%s", r)
			}
			data, err := os.ReadFile(s.index())
			if err != nil {
				t.Fatal(err)
			}
			if tc.version != "" && !strings.Contains(string(data), `"api_version": "`+tc.version+`"`) {
				t.Errorf("keys.json does not record api_version %s:\n%s", tc.version, data)
			}
			if strings.Contains(string(data), keys[0]) || strings.Contains(r.stdout+r.stderr, keys[0]) {
				t.Errorf("the key shows up in keys.json or pair's output")
			}
		})
	}
}

// TestFaultChallengeCap: once Anytype's per-run cap is used up, pair says
// Anytype has to be restarted.
func TestFaultChallengeCap(t *testing.T) {
	desktoptest.Require(t, desktoptest.SecretService)
	t.Parallel()
	fake := fakeanytype.Start(t, fakeanytype.Config{ChallengeCap: 1})
	s := newSandbox(t, fake.URL())
	if r, _ := s.pair(fake, s.name("cap1")); r.code != 0 {
		t.Fatalf("first pair failed:\n%s", r)
	}
	before := stat(t, s.index())
	name := s.name("cap2")
	p := s.start(runOpts{}, "pair", name) // stdin open, nothing typed yet
	r := p.wait(t, 40*time.Second)
	p.stdin.Close()
	wantFailure(t, r, 1, `Anytype refused to start pairing`)
	if !strings.Contains(r.stderr, "restart Anytype") {
		t.Errorf("the message does not say Anytype must be restarted:\n%s", r)
	}
	sameFile(t, s.index(), before)
	if secret(t, name) != "" {
		t.Errorf("secret saved for %s", name)
	}
}

// TestFaultKeychainAbsent: no session bus (the address points at a dead
// socket, or is not set at all). pair must say so before it spends one of
// Anytype's few challenges, and get must name the same cause.
func TestFaultKeychainAbsent(t *testing.T) {
	t.Parallel()
	// pair checks that the key could be saved before it asks Anytype
	// for a challenge, and add saves: both need the Secret Service.
	desktoptest.Require(t, desktoptest.SecretService)
	for _, bus := range []string{"dead", "unset", "silent"} {
		t.Run(bus, func(t *testing.T) {
			t.Parallel()
			fake := fakeanytype.Start(t, fakeanytype.Config{})
			s := newSandbox(t, fake.URL())
			name := s.name("nokeychain")
			// A key saved while the keychain worked, to get afterwards.
			if r := s.run("k3y\n", "add", name, "--no-verify"); r.code != 0 {
				t.Fatalf("add: %s", r)
			}
			why := `no D-Bus session bus \(not a desktop session\)`
			switch bus {
			case "dead":
				s.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(s.root, "no-bus"))
			case "unset":
				s.setenv("DBUS_SESSION_BUS_ADDRESS", "")
				s.setenv("XDG_RUNTIME_DIR", s.root) // no bus socket in it
			case "silent":
				// A socket that accepts and never answers, as one left by
				// an ended session can: each command gives up after the
				// handshake deadline, not the keychain timeout.
				path, _ := desktoptest.SilentListener(t, "unix", filepath.Join(t.TempDir(), "bus"))
				s.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+path)
				why = `the D-Bus session bus at "unix:path=.*" did not answer within 5s`
			}
			r := s.run("", "pair", s.name("second"))
			wantFailure(t, r, 1, why)
			if n := fake.Challenges(); n != 0 {
				t.Errorf("a challenge was spent although the key could not be saved (%d)", n)
			}
			if r.stdout != "" || strings.Contains(r.stderr, "dbus-launch") {
				t.Errorf("stdout %q; stderr:\n%s", r.stdout, r.stderr)
			}
			r = s.run("", "get", name)
			wantFailure(t, r, 1, why)
			if bus == "silent" {
				if !strings.Contains(r.stderr, "may belong to a session that has ended") {
					t.Errorf("no hint about an ended session:\n%s", r.stderr)
				}
				if r.took > 10*time.Second {
					t.Errorf("get on a silent bus took %s", r.took)
				}
			}
		})
	}
}
