package cli

import (
	"encoding/json"
	"strings"

	"github.com/anykey-app/anykey/internal/doctor"
)

// cmdDoctor is `doctor [--json]`: every piece anykey uses, checked without
// side effects, with the one thing to do for each that is missing. The
// report is data (stdout); exit 1 when pairing or handing keys out cannot
// work here, with one line on stderr naming what is missing.
func (c *cli) cmdDoctor(args []string) int {
	fs := newFlags("doctor")
	asJSON := fs.Bool("json", false, "")
	if _, err := c.flags(fs, args, 0, 0); err != nil {
		return parseExit(err)
	}
	r := doctor.Run(c.ctx, doctor.Options{URLs: c.doctorURLs(), Getenv: c.getenv, Version: c.version})
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return exitFailure
		}
	} else if err := r.WriteText(c.stdout); err != nil {
		return exitFailure
	}
	if !r.OK() {
		c.say("pairing or handing keys out cannot work here: %s missing", strings.Join(r.MissingTitles(), ", "))
		c.hint("each line marked missing says what to do")
		return exitFailure
	}
	return exitOK
}

// doctorURLs are the API URLs doctor checks: --api-url or $ANYKEY_API_URL
// when given (checked alone), else every default URL.
func (c *cli) doctorURLs() []string {
	if c.apiURL != "" {
		return []string{c.apiURL}
	}
	if v := c.getenv(EnvAPIURL); v != "" {
		if u, err := normalizeURL(EnvAPIURL, v); err == nil {
			return []string{u}
		}
		return []string{v}
	}
	return c.defaultURLs
}
