// Command fakeanytype serves the fake Anytype API for scripts, benchmarks,
// screenshots and manual testing. It prints "listening http://…" on stderr
// and one JSON line per challenge on stdout, {"challenge_id":"…","code":"1234"},
// once the code exists (after approval with -approval).
//
// -key KIND (repeatable) mints a key made another way than pairing, as
// Settings → API Keys, anytype-cli or the web clipper would, and prints
// {"kind":"…","key":"…"} on stdout before serving. Kinds: legacy (no
// grant), all (all spaces, read & write), one-read (one space, read only),
// limited (Limited scope: 403 on /v2), expiring (all spaces, expires in 3
// days), expired (expired an hour ago). They imply -prefixed and -whoami.
//
// With -approval and no -approve-after, type a challenge id (or an empty
// line for the oldest pending one) on stdin to approve it.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

func main() {
	var cfg fakeanytype.Config
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	flag.StringVar(&cfg.Version, "version", "2025-11-08", "Anytype-Version to speak: 2025-11-08, 2025-05-20, 2025-04-22, 2025-03-17")
	flag.BoolVar(&cfg.Oldest, "oldest", false, "speak heart <= 0.40.2: no version header, old error bodies")
	flag.BoolVar(&cfg.NeedsApproval, "approval", false, "require approval before a code exists (newer Anytype)")
	flag.BoolVar(&cfg.PrefixedKeys, "prefixed", false, "mint anytype_… keys with a grant")
	flag.BoolVar(&cfg.Whoami, "whoami", false, "serve GET /v2/auth/whoami")
	flag.BoolVar(&cfg.WhoamiCamel, "whoami-camel", false, "with -whoami: answer in the intermediate camelCase body")
	flag.DurationVar(&cfg.ApproveAfter, "approve-after", 0, "with -approval: approve each challenge after this long")
	flag.IntVar(&cfg.MaxTries, "max-tries", 0, "wrong codes per challenge before it is dropped (0: unlimited, 5 with -approval)")
	flag.IntVar(&cfg.ChallengeCap, "cap", 50, "challenge creations per run")
	flag.DurationVar(&cfg.Latency, "latency", 0, "delay every answer")
	scoped := flag.Bool("scoped", false, "mint keys granted 2 spaces, read-only (403 on /v1)")
	flag.BoolVar(&cfg.MCP, "mcp", false, "serve Anytype's own MCP endpoint, /mcp/{small,large,full} (the MCP Go SDK's server behind Anytype's middleware and limits)")
	flag.BoolVar(&cfg.OpenRequest429, "open-429", false, "answer 429 to a challenge creation while one is open")
	var kinds keyKinds
	flag.Var(&kinds, "key", "mint a key of this kind at start and print it: legacy, all, one-read, limited, expiring, expired (repeatable)")
	flag.Parse()
	if len(kinds) > 0 {
		cfg.PrefixedKeys, cfg.Whoami = true, true
	}
	if *scoped {
		cfg.Grant = &fakeanytype.Grant{SpaceIDs: []string{"bafyfake1", "bafyfake2"}, Permission: "read"}
	}
	if err := run(*addr, cfg, kinds); err != nil {
		fmt.Fprintf(os.Stderr, "fakeanytype: %v\n", err)
		os.Exit(1)
	}
}

func run(addr string, cfg fakeanytype.Config, kinds keyKinds) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		ln.Close()
		return fmt.Errorf("refusing to listen on non-loopback %s", ln.Addr())
	}
	srv := fakeanytype.New(cfg)
	url := "http://" + ln.Addr().String()
	srv.SetURL(url)
	enc := json.NewEncoder(os.Stdout)
	for _, k := range kinds {
		enc.Encode(map[string]string{"kind": k, "key": srv.AddKey(keyOptions(k))})
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var wg sync.WaitGroup
	wg.Go(func() { printChallenges(ctx, srv) })
	if cfg.NeedsApproval && cfg.ApproveAfter == 0 {
		go approveFromStdin(ctx, srv) // blocks in a read; not waited for
	}
	fmt.Fprintf(os.Stderr, "listening %s\n", url)
	go func() {
		<-ctx.Done()
		srv.Close()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		hs.Shutdown(shutdown)
	}()
	if err := hs.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	wg.Wait()
	return nil
}

func printChallenges(ctx context.Context, srv *fakeanytype.Server) {
	enc := json.NewEncoder(os.Stdout)
	for {
		id, code, err := srv.WaitChallenge(ctx)
		if err != nil {
			return
		}
		if code == "" { // awaiting approval from stdin
			code = waitCode(ctx, srv, id)
		}
		enc.Encode(map[string]string{"challenge_id": id, "code": code})
	}
}

// waitCode polls until id is approved; Approve on an approved challenge
// returns its code, on a pending one it would approve it, so poll the log.
func waitCode(ctx context.Context, srv *fakeanytype.Server, id string) string {
	for ctx.Err() == nil {
		if c, ok := srv.Code(id); ok {
			return c
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
	return ""
}

func approveFromStdin(ctx context.Context, srv *fakeanytype.Server) {
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		id := strings.TrimSpace(sc.Text())
		if id == "" {
			pctx, cancel := context.WithTimeout(ctx, time.Second)
			id, _ = srv.WaitPending(pctx)
			cancel()
		}
		if id != "" && srv.Approve(id) == "" {
			fmt.Fprintf(os.Stderr, "fakeanytype: no pending challenge %q\n", id)
		}
	}
}

// keyKinds is the -key flag: the kinds of key to mint at start.
type keyKinds []string

func (k *keyKinds) String() string { return strings.Join(*k, ",") }

func (k *keyKinds) Set(v string) error {
	if _, ok := kindOptions[v]; !ok {
		return fmt.Errorf("unknown kind %q (legacy, all, one-read, limited, expiring, expired)", v)
	}
	*k = append(*k, v)
	return nil
}

// kindOptions are the keys of docs/anytype-api.md's newer generation, by
// the names issue 17's table uses.
var kindOptions = map[string]func() fakeanytype.KeyOptions{
	"legacy": func() fakeanytype.KeyOptions { return fakeanytype.KeyOptions{Name: "legacy key"} },
	"all": func() fakeanytype.KeyOptions {
		return fakeanytype.KeyOptions{Name: "all spaces", Grant: &fakeanytype.Grant{AllSpaces: true, Permission: "readwrite"}}
	},
	"one-read": func() fakeanytype.KeyOptions {
		return fakeanytype.KeyOptions{Name: "one space", Grant: &fakeanytype.Grant{SpaceIDs: []string{"bafyfake1"}, Permission: "read"}}
	},
	"limited": func() fakeanytype.KeyOptions {
		return fakeanytype.KeyOptions{Name: "web clipper", Scope: fakeanytype.ScopeLimited}
	},
	"expiring": func() fakeanytype.KeyOptions {
		return fakeanytype.KeyOptions{Name: "expiring", Grant: &fakeanytype.Grant{AllSpaces: true, Permission: "readwrite"}, ExpiresAt: time.Now().Add(72 * time.Hour).Truncate(time.Second)}
	},
	"expired": func() fakeanytype.KeyOptions {
		return fakeanytype.KeyOptions{Name: "expired", Grant: &fakeanytype.Grant{AllSpaces: true, Permission: "readwrite"}, ExpiresAt: time.Now().Add(-time.Hour).Truncate(time.Second)}
	},
}

func keyOptions(kind string) fakeanytype.KeyOptions { return kindOptions[kind]() }
