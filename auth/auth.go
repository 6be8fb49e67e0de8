// Package auth is a small HTTP client for the pairing part of Anytype's local
// REST API. It has no UI: it never prints and never prompts.
//
// Start with [NewClient], then [Client.CreateChallenge] and
// [Client.CreateAPIKey]; [Client.Probe] tells which schema a server speaks
// without side effects, and [Client.Verify] checks a saved key.
package auth

// SKELETON: the exported API below is the contract other packages code
// against. Implementations replace the bodies; signatures stay.

import (
	"context"
	"net/http"
	"time"
)

const (
	// APIVersion is the Anytype-Version request header anykey sends.
	APIVersion = "2025-11-08"
	// DesktopURL is where Anytype's desktop app serves its API.
	DesktopURL = "http://127.0.0.1:31009"
	// CLIURL is where the headless anytype-cli serves its API.
	CLIURL = "http://127.0.0.1:31012"
	// DefaultTimeout bounds every call made without a shorter context deadline.
	DefaultTimeout = 10 * time.Second
	// MaxBodySize is the largest response body the client reads.
	MaxBodySize = 1 << 20
)

// Option configures a [Client].
type Option func(*Client) error

// WithHTTPClient makes the client use hc for every request.
func WithHTTPClient(hc *http.Client) Option { panic("skeleton") }

// WithUserAgent sets the User-Agent header (default "anykey/dev").
func WithUserAgent(ua string) Option { panic("skeleton") }

// WithTimeout sets the per-call deadline (default [DefaultTimeout]).
func WithTimeout(d time.Duration) Option { panic("skeleton") }

// Client talks to one Anytype API base URL.
type Client struct{}

// NewClient returns a client for baseURL, which must pass [ParseBaseURL].
func NewClient(baseURL string, opts ...Option) (*Client, error) { panic("skeleton") }

// BaseURL returns the normalised base URL, e.g. "http://127.0.0.1:31009".
func (c *Client) BaseURL() string { panic("skeleton") }

// Generation is the pairing schema a server speaks.
type Generation int

const (
	GenUnknown Generation = iota
	// GenOldest: heart <= 0.40.19, header absent, 2025-02-12 or 2025-03-17.
	GenOldest
	// GenLegacy: 2025-04-22, display_code/token with app_key only.
	GenLegacy
	// GenCurrent: 2025-05-20, 2025-11-08 and newer: challenges/api_keys.
	GenCurrent
)

// Server describes what a probe learned about a running server.
type Server struct {
	// APIVersion is the Anytype-Version response header ("" when absent).
	APIVersion string
	Generation Generation
}

// Probe finds out which schema the server speaks without creating a
// challenge: it reads the Anytype-Version response header, else uses the
// side-effect-free probe (POST /v1/auth/challenges with {}).
func (c *Client) Probe(ctx context.Context) (Server, error) { panic("skeleton") }

// Challenge is a started pairing; solve it with [Client.CreateAPIKey].
type Challenge struct {
	ID     string
	Server Server
}

// CreateChallenge starts exactly one challenge (probing once first if the
// schema is not yet known). It never retries.
func (c *Client) CreateChallenge(ctx context.Context, appName string) (*Challenge, error) {
	panic("skeleton")
}

// Grant is what newer servers say a key may do.
type Grant struct {
	AllSpaces  bool     `json:"all_spaces"`
	SpaceIDs   []string `json:"space_ids,omitempty"`
	Permission string   `json:"permission,omitempty"`
}

// Key is a minted API key. Its String and Format methods never show Secret.
type Key struct {
	Secret     string
	Grant      *Grant
	APIVersion string
}

// CreateAPIKey solves ch with code (exactly 4 digits, see [NormalizeCode]).
// A 500 answer is [ErrCodeRejected]; the same challenge may be tried again.
func (c *Client) CreateAPIKey(ctx context.Context, ch *Challenge, code string) (*Key, error) {
	panic("skeleton")
}

// Validity is the outcome of [Client.Verify].
type Validity int

const (
	Valid Validity = iota
	Rejected
	Unreachable
)

// Verify checks key with GET /v2/auth/whoami where it exists, else
// GET /v1/spaces?limit=1. A 401 (or 403) is Rejected; a connection failure is
// Unreachable with the underlying error.
func (c *Client) Verify(ctx context.Context, key string) (Validity, error) { panic("skeleton") }
