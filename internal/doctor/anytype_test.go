package doctor

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/desktoptest"
	"github.com/anykey-app/anykey/internal/fakeanytype"
)

// freeURL is a loopback URL where nothing listens.
func freeURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + ln.Addr().String()
	ln.Close()
	return u
}

func TestAnytypeFindings(t *testing.T) {
	withMCP := fakeanytype.Start(t, fakeanytype.Config{MCP: true})
	without := fakeanytype.Start(t, fakeanytype.Config{Version: "2025-05-20"})
	absent := freeURL(t)

	fs := checkAnytypeAll(t.Context(), Options{}, []string{withMCP.URL(), without.URL(), absent})
	if fs[0].Status != OK || fs[0].Facts["mcp"] != "yes" || fs[0].Facts["api_version"] != "2025-11-08" ||
		!strings.Contains(fs[0].Found, "its own MCP endpoint: yes") {
		t.Errorf("server with MCP: %+v", fs[0])
	}
	if fs[1].Status != OK || fs[1].Facts["mcp"] != "no" || fs[1].Facts["api_version"] != "2025-05-20" {
		t.Errorf("server without MCP: %+v", fs[1])
	}
	if fs[2].Status != Info || fs[2].Fix != "" {
		t.Errorf("an empty port while another URL works is only info: %+v", fs[2])
	}
	for _, r := range withMCP.Requests() {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("%s %s carried a key", r.Method, r.Path)
		}
	}
	if n := withMCP.Challenges(); n != 0 {
		t.Errorf("doctor created %d challenges", n)
	}

	fs = checkAnytypeAll(t.Context(), Options{}, []string{absent})
	if fs[0].Status != Missing || !strings.Contains(fs[0].Found, "nothing listens") || fs[0].Fix == "" {
		t.Errorf("no Anytype anywhere: %+v", fs[0])
	}
}

// TestAnytypeSilentListener: a program of ours that accepts and never
// answers (a hung Anytype) costs one probe deadline, not a hang.
func TestAnytypeSilentListener(t *testing.T) {
	addr, accepted := desktoptest.SilentListener(t, "tcp", "127.0.0.1:0")
	start := time.Now()
	fs := checkAnytypeAll(t.Context(), Options{Timeout: time.Second}, []string{"http://" + addr})
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %s with a 1 s probe deadline", took)
	}
	if fs[0].Status != Missing || !strings.Contains(fs[0].Found, "did not answer in time") || fs[0].Fix != "restart Anytype" || accepted() == 0 {
		t.Errorf("silent listener: %+v (%d connections)", fs[0], accepted())
	}
	t.Logf("%s: %s", fs[0].Status, fs[0].Found)
}
