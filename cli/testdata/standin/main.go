// Command standin behaves like anytype-mcp for the MCP tests: started as
// "npx -y @anyproto/anytype-mcp", it records its environment beside its own
// binary, fetches /docs/openapi.json, then for each "call" line on stdin
// lists spaces with the headers of OPENAPI_MCP_HEADERS. On a 401 it prints
// the failed request with its Authorization header to stderr, the header
// split across two writes, as anytype-mcp prints failed requests.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	self, _ := os.Executable()
	os.WriteFile(filepath.Join(filepath.Dir(self), "env.txt"), []byte(strings.Join(os.Environ(), "\n")), 0o600)
	var headers map[string]string
	if err := json.Unmarshal([]byte(os.Getenv("OPENAPI_MCP_HEADERS")), &headers); err != nil {
		fmt.Fprintln(os.Stderr, "OPENAPI_MCP_HEADERS is not a JSON object:", err)
		os.Exit(1)
	}
	base := os.Getenv("ANYTYPE_API_BASE_URL")
	client := &http.Client{Timeout: 10 * time.Second}
	if resp, err := client.Get(base + "/docs/openapi.json"); err != nil || resp.StatusCode != 200 {
		fmt.Fprintln(os.Stderr, "cannot fetch the OpenAPI document:", err)
		os.Exit(1)
	}
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if in.Text() != "call" {
			continue
		}
		req, _ := http.NewRequest("GET", base+"/v1/spaces", nil)
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			fmt.Fprintln(os.Stderr, "request failed:", err)
			fmt.Println("error")
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == 401 {
			auth := req.Header.Get("Authorization")
			half := len(auth) / 2
			os.Stderr.WriteString("request failed: 401\nGET /v1/spaces\nAuthorization: " + auth[:half])
			time.Sleep(20 * time.Millisecond)
			os.Stderr.WriteString(auth[half:] + "\n")
		}
		fmt.Println(resp.StatusCode)
	}
}
