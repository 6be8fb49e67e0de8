package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/anykey-app/anykey/internal/fakeanytype"
)

func newHandlerServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// The code and key used in forced errors; no error text may contain them.
const (
	secretCode = "4821"
	secretKey  = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3OA=="
)

// TestFaults injects every failure into create, solve and verify, on both
// the JSON paths and the query-string paths (where the code is in the URL).
func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault                 fakeanytype.Fault
		create, solve, verify error // want errors.Is; nil: success
		verifyValidity        Validity
	}{
		{fakeanytype.Fault500Create, ErrChallengeRefused, ErrCodeRejected, nil, Rejected},
		{fakeanytype.Fault500Solve, nil, ErrCodeRejected, nil, Rejected},
		{fakeanytype.FaultHTML502, ErrUnexpectedResponse, ErrUnexpectedResponse, ErrUnexpectedResponse, Unreachable},
		{fakeanytype.FaultHugeBody, ErrUnexpectedResponse, ErrUnexpectedResponse, ErrUnexpectedResponse, Unreachable},
		{fakeanytype.FaultGarbageJSON, ErrUnexpectedResponse, ErrUnexpectedResponse, nil, Valid},
		{fakeanytype.FaultResetMidBody, ErrUnexpectedResponse, ErrUnexpectedResponse, ErrUnexpectedResponse, Unreachable},
		{fakeanytype.FaultHang, ErrTimeout, ErrTimeout, ErrTimeout, Unreachable},
	}
	for _, gen := range []struct {
		name string
		cfg  fakeanytype.Config
	}{{"current", fakeanytype.Config{}}, {"legacy", fakeanytype.Config{Version: "2025-04-22"}}} {
		for _, tt := range tests {
			t.Run(gen.name+"/"+tt.fault.String(), func(t *testing.T) {
				t.Parallel()
				// Only the hang needs the deadline to end it; the other
				// faults must be told apart from a timeout even on a
				// loaded machine (300 ms for all lost huge-body and
				// reset-mid-body to the deadline under load).
				// The calls made before the fault (the probe, a real
				// challenge) use a 5 s client too: at 300 ms they lost
				// to a loaded scheduler (seen in CI).
				c, srv := setup(t, gen.cfg, WithTimeout(5*time.Second))
				faulted := c
				if tt.fault == fakeanytype.FaultHang {
					var err error
					faulted, err = NewClient(srv.URL(), WithUserAgent(testUA), WithTimeout(300*time.Millisecond))
					if err != nil {
						t.Fatal(err)
					}
				}
				probed, err := c.Probe(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				srv.Fault(tt.fault)
				_, err = faulted.CreateChallenge(t.Context(), "n")
				checkErr(t, "CreateChallenge", err, tt.create)

				ch := &Challenge{ID: "0123456789abcdef01234567", Server: probed}
				if tt.solve != ErrCodeRejected || tt.fault == fakeanytype.Fault500Solve {
					// With a real challenge, only the fault can fail the solve.
					srv.Fault(fakeanytype.FaultNone)
					if ch, err = c.CreateChallenge(t.Context(), "n"); err != nil {
						t.Fatal(err)
					}
					srv.Fault(tt.fault)
				}
				key, err := faulted.CreateAPIKey(t.Context(), ch, secretCode)
				if key != nil && tt.solve != nil {
					t.Errorf("CreateAPIKey returned a key with a fault")
				}
				checkErr(t, "CreateAPIKey", err, tt.solve)

				v, err := faulted.Verify(t.Context(), secretKey)
				if tt.verify == nil && v != tt.verifyValidity || tt.verify != nil && v != Unreachable {
					t.Errorf("Verify = %v, want %v", v, tt.verifyValidity)
				}
				// A garbage 201 is a valid answer for a verify: Verify
				// needs only the status.
				if tt.verify != nil || err != nil {
					checkErr(t, "Verify", err, tt.verify)
				}
			})
		}
	}
}

func checkErr(t *testing.T, op string, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Errorf("%s: %v, want success", op, err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Errorf("%s: %v, want %v", op, err, want)
		return
	}
	for _, s := range []string{secretCode, secretKey} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("%s error %q contains a secret", op, err)
		}
	}
}

func TestTimeouts(t *testing.T) {
	t.Parallel()
	shortCtx := func(t *testing.T) context.Context {
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		t.Cleanup(cancel)
		return ctx
	}
	cancelled := func(t *testing.T) context.Context {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		return ctx
	}
	tests := []struct {
		name string
		opts []Option
		ctx  func(*testing.T) context.Context
		want error
	}{
		{"client timeout", []Option{WithTimeout(50 * time.Millisecond)}, func(t *testing.T) context.Context { return t.Context() }, ErrTimeout},
		{"context deadline shorter than the client's", nil, shortCtx, ErrTimeout},
		{"cancelled context", nil, cancelled, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := setup(t, fakeanytype.Config{Latency: time.Minute}, tt.opts...)
			_, err := c.Probe(tt.ctx(t))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Probe = %v, want %v", err, tt.want)
			}
			if tt.want == context.Canceled && errors.Is(err, ErrTimeout) {
				t.Errorf("a cancel is not a timeout: %v", err)
			}
			ch := &Challenge{ID: "abc", Server: Server{Generation: GenLegacy}}
			_, err = c.CreateAPIKey(tt.ctx(t), ch, secretCode)
			if !errors.Is(err, tt.want) || strings.Contains(err.Error(), secretCode) {
				t.Errorf("CreateAPIKey = %v, want %v without the code", err, tt.want)
			}
		})
	}
}

// TestServerEchoesSecrets uses a hostile server that puts what it received
// into its error messages: the client must redact the code and the key.
func TestServerEchoesSecrets(t *testing.T) {
	t.Parallel()
	echo := func(status int, contentType string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Anytype-Version", "2025-04-22")
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			msg := strings.ReplaceAll(r.URL.RawQuery+" "+r.Header.Get("Authorization"), `"`, "")
			if strings.HasPrefix(contentType, "text/plain") {
				fmt.Fprint(w, msg)
				return
			}
			fmt.Fprintf(w, `{"object":"error","status":%d,"code":"%s","message":"bad %s"}`, status, msg, msg)
		}
	}
	for _, tt := range []struct {
		name        string
		status      int
		contentType string
	}{
		{"500 json", 500, "application/json"},
		{"400 json", 400, "application/json"},
		{"401 json", 401, "application/json"},
		{"418 text", 418, "text/plain"},
		{"503 json", 503, "application/json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(newHandlerServer(t, echo(tt.status, tt.contentType)))
			if err != nil {
				t.Fatal(err)
			}
			ch := &Challenge{ID: "abc", Server: Server{Generation: GenLegacy}}
			_, err = c.CreateAPIKey(t.Context(), ch, secretCode)
			var ae *APIError
			if !errors.As(err, &ae) || strings.Contains(err.Error(), secretCode) || strings.Contains(ae.Code, secretCode) {
				t.Errorf("CreateAPIKey error %q leaks the code or is not an APIError", err)
			}
			_, err = c.Verify(t.Context(), secretKey)
			if err != nil && strings.Contains(err.Error(), secretKey) {
				t.Errorf("Verify error %q leaks the key", err)
			}
		})
	}
}
