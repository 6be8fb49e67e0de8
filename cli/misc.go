package cli

import (
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/anykey-app/anykey/packaging"
)

// VersionString returns stamped (main.Version, set at build time with
// -ldflags "-X main.Version=…") when it is not empty, else the module
// version go install recorded, else "devel" plus the VCS revision when the
// binary was built from a checkout.
func VersionString(stamped string) string {
	if stamped != "" {
		return stamped
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "devel-" + s.Value[:12]
		}
	}
	return "devel"
}

func (c *cli) cmdVersion(args []string) int {
	if _, err := c.flags(newFlags("version"), args, 0, 0); err != nil {
		return parseExit(err)
	}
	fmt.Fprintf(c.stdout, "anykey %s\n", c.version)
	return exitOK
}

func (c *cli) cmdTray(args []string) int {
	if _, err := c.flags(newFlags("tray"), args, 0, 0); err != nil {
		return parseExit(err)
	}
	apiURL := c.apiURL
	if apiURL == "" {
		apiURL = c.getenv(EnvAPIURL)
	}
	if apiURL != "" {
		u, err := normalizeURL("api url", apiURL)
		if err != nil {
			return c.fail(err, where{})
		}
		apiURL = u
	}
	return c.tray(apiURL, c.stderr)
}

func (c *cli) cmdAutostart(args []string) int {
	pos, err := c.flags(newFlags("autostart"), args, 0, 1)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) == 0 {
		return c.usageError("autostart: missing on, off or status")
	}
	a := c.autostart
	switch pos[0] {
	case "on":
		if err := a.Enable(); err != nil {
			c.say("could not turn on start at login: %v", err)
			if errors.Is(err, packaging.ErrNotInstalled) {
				c.hint("%s", packaging.InstallHint)
			}
			return exitFailure
		}
		c.say("the anykey tray will start at login (%s)", pathOr(a))
	case "off":
		if err := a.Disable(); err != nil {
			c.say("could not turn off start at login: %v", err)
			return exitFailure
		}
		c.say("the anykey tray will not start at login")
	case "status":
		on, err := a.Enabled()
		if err != nil {
			c.say("could not read the start-at-login setting: %v", err)
			return exitFailure
		}
		if on {
			fmt.Fprintln(c.stdout, "on")
			c.say("starts at login from %s", pathOr(a))
		} else {
			fmt.Fprintln(c.stdout, "off")
		}
	default:
		return c.usageError(fmt.Sprintf("autostart: expected on, off or status, not %q", pos[0]))
	}
	return exitOK
}

func pathOr(a autostarter) string {
	p, err := a.Path()
	if err != nil || p == "" {
		return "the system's login items"
	}
	return p
}

// osAutostart is the real start-at-login switch.
type osAutostart struct{}

func (osAutostart) Enable() error          { return packaging.EnableAutostart() }
func (osAutostart) Disable() error         { return packaging.DisableAutostart() }
func (osAutostart) Enabled() (bool, error) { return packaging.AutostartEnabled() }
func (osAutostart) Path() (string, error)  { return packaging.AutostartPath() }
