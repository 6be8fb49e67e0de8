package auth_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/anykey-app/anykey/auth"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// fakeServer stands in for a running Anytype in the examples.
func fakeServer() (*fakeanytype.Server, func()) {
	srv := fakeanytype.New(fakeanytype.Config{})
	ts := httptest.NewServer(srv)
	srv.SetURL(ts.URL)
	return srv, func() { srv.Close(); ts.Close() }
}

func ExampleClient_CreateChallenge() {
	srv, stop := fakeServer()
	defer stop()
	ctx := context.Background()

	c, err := auth.NewClient(srv.URL(), auth.WithUserAgent("anykey/1.0"))
	if err != nil {
		fmt.Println(err)
		return
	}
	ch, err := c.CreateChallenge(ctx, "my-script")
	if err != nil {
		fmt.Println(err)
		return
	}
	// Anytype now shows a 4-digit code; a real front end asks the user.
	_, code, _ := srv.WaitChallenge(ctx)
	key, err := c.CreateAPIKey(ctx, ch, code)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("schema:", ch.Server.Generation)
	fmt.Println("got a key:", key.Secret != "")
	fmt.Println(key) // never shows the secret
	// Output:
	// schema: current
	// got a key: true
	// auth.Key{Secret:[redacted] Grant:none APIVersion:"2025-11-08"}
}

func ExampleClient_Probe() {
	srv, stop := fakeServer()
	defer stop()
	c, _ := auth.NewClient(srv.URL())
	s, err := c.Probe(context.Background())
	fmt.Println(s.APIVersion, s.Generation, err, srv.Challenges())
	// Output: 2025-11-08 current <nil> 0
}

func ExampleNormalizeCode() {
	for _, in := range []string{" 0420\n", "12a4"} {
		code, err := auth.NormalizeCode(in)
		fmt.Printf("%q %v\n", code, err)
	}
	// Output:
	// "0420" <nil>
	// "" the code must be exactly 4 digits
}

func ExampleParseBaseURL() {
	for _, in := range []string{"http://localhost:31012/", "http://127.0.0.1.evil.com"} {
		u, err := auth.ParseBaseURL(in)
		fmt.Println(u, err)
	}
	// Output:
	// http://localhost:31012 <nil>
	// <nil> parsing api url: host "127.0.0.1.evil.com": the api url must point to this machine (127.0.0.1, ::1 or localhost)
}
