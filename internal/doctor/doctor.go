package doctor

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"time"
)

// Options say where to look. The zero value checks the real desktop with
// the default URLs and the default config dir.
type Options struct {
	// URLs are the API URLs to check, in order (--api-url, else the
	// desktop app's and anytype-cli's). The URLs saved with keys are
	// added after them.
	URLs []string
	// ConfigDir is anykey's config dir; "" is keystore.DefaultDir.
	ConfigDir string
	// Getenv reads the environment (nil: os.Getenv).
	Getenv func(string) string
	// Version is anykey's version, for the report.
	Version string
	// Timeout bounds each probe (0: [ProbeTimeout]).
	Timeout time.Duration
}

// ProbeTimeout is how long one probe may take. A bus handshake has its own
// deadline (busdial.Handshake, 5 s), so a silent bus is named, not waited
// on. After the local files (which are only read), the desktop's pieces and
// each Anytype URL are checked side by side, so a run takes about as long
// as its slowest piece, not the sum of all.
const ProbeTimeout = 3 * time.Second

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return ProbeTimeout
}

// Run checks every piece and returns the report. It never blocks for much
// longer than the bus handshake deadline: each probe has its own deadline,
// and ctx ends them all.
func Run(ctx context.Context, o Options) Report {
	if o.Getenv == nil {
		o.Getenv = osGetenv
	}
	// The local files come first: the keys' URLs are Anytype candidates.
	local := checkLocal(ctx, o)
	urls := candidateURLs(o.URLs, local.keyURLs)

	var desktop, anytype []Finding
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); desktop = checkDesktop(ctx, o) }()
	go func() { defer wg.Done(); anytype = checkAnytypeAll(ctx, o, urls) }()
	wg.Wait()

	r := Report{OS: runtime.GOOS, Version: o.Version}
	r.Findings = slices.Concat(desktop, anytype, local.findings)
	r.Works = r.OK()
	return r
}

// candidateURLs is urls, then the keys' URLs not among them.
func candidateURLs(urls, keyURLs []string) []string {
	out := slices.Clone(urls)
	for _, u := range keyURLs {
		if u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}
