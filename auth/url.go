package auth

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ParseBaseURL parses an API base URL and accepts only http(s) URLs on
// loopback hosts: localhost, 127.0.0.1 (and 127/8 dotted quads) and [::1].
// It rejects userinfo, paths other than "" or "/", queries and fragments.
//
// Only canonical spellings pass: "127.1", "0x7f.1" and "2130706433" also
// mean 127.0.0.1 to some resolvers, but a URL that needs such tricks is more
// likely an attack than a typo. The result has no trailing slash.
func ParseBaseURL(s string) (*url.URL, error) {
	// Errors never echo the input: it might carry user info (a password).
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil {
		return nil, errors.New("parsing api url: not a valid url")
	}
	switch {
	case u.Scheme != "http":
		// Anytype serves its local API over plain http only; there is no
		// TLS on loopback to talk to.
		return nil, errors.New("parsing api url: scheme must be http")
	case u.Opaque != "" || u.User != nil || strings.Contains(s, "@"):
		return nil, fmt.Errorf("parsing api url: user info is not allowed: %w", ErrNotLoopback)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#"):
		return nil, errors.New("parsing api url: no query or fragment allowed")
	case u.Path != "" && u.Path != "/" || u.RawPath != "":
		return nil, fmt.Errorf("parsing api url: no path allowed (use the server root, e.g. %s)", DesktopURL)
	}
	host, port, err := splitHost(u.Host)
	if err != nil {
		return nil, fmt.Errorf("parsing api url: %w", err)
	}
	if !isLoopbackHost(host) {
		return nil, fmt.Errorf("parsing api url: host %q: %w", host, ErrNotLoopback)
	}
	out := &url.URL{Scheme: u.Scheme, Host: strings.ToLower(host)}
	if strings.Contains(host, ":") {
		out.Host = "[::1]" // the only IPv6 host that passes
	}
	if port != "" {
		out.Host += ":" + port
	}
	return out, nil
}

// splitHost splits "host[:port]" and checks the port is 1–65535 in decimal.
func splitHost(hostport string) (host, port string, err error) {
	if strings.ContainsAny(hostport, "%\\") {
		return "", "", ErrNotLoopback
	}
	host = hostport
	if strings.HasPrefix(host, "[") {
		end := strings.Index(host, "]")
		if end < 0 {
			return "", "", ErrNotLoopback
		}
		host, port = host[1:end], host[end+1:]
		if port != "" && !strings.HasPrefix(port, ":") {
			return "", "", ErrNotLoopback
		}
		port = strings.TrimPrefix(port, ":")
		if !strings.Contains(host, ":") {
			return "", "", ErrNotLoopback // "[127.0.0.1]" is not a valid host
		}
	} else if i := strings.LastIndex(host, ":"); i >= 0 {
		host, port = host[:i], host[i+1:]
		if port == "" {
			return "", "", fmt.Errorf("empty port")
		}
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
			return "", "", fmt.Errorf("invalid port %q", port)
		}
	}
	return host, port, nil
}

// isLoopbackHost accepts "localhost", canonical 127.x.y.z and ::1.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	if err != nil || a.Zone() != "" {
		return false
	}
	if a.Is4() {
		// netip accepts only four decimal octets without leading zeros, so
		// "127.1", "0x7f.1" and "2130706433" never get here.
		return a.IsLoopback() && a.String() == host
	}
	return a == netip.IPv6Loopback()
}

// NormalizeCode returns the code as the 4 ASCII digits the server
// compares, from what a person typed or pasted: Unicode compatibility forms
// are folded first (NFKC: full-width "６７９２" is "6792"), decimal digits
// of every script are read as theirs (Arabic-Indic "٦٧٩٢", Persian
// "۶۷۹۲" and Devanagari "६७९२", which keyboards of those languages type
// for the digit keys, are "6792"), then white space,
// dashes and invisible format characters anywhere are dropped ("12 34",
// "12-34", a pasted zero-width space). Anything else, or a count of digits
// other than 4, is [ErrInvalidCode]. Leading zeros are kept: the server
// compares the code as a string.
func NormalizeCode(s string) (string, error) {
	if len(s) > 256 {
		return "", ErrInvalidCode // nobody types that; do not normalise it
	}
	var b strings.Builder
	for _, r := range norm.NFKC.String(s) {
		switch {
		case unicode.Is(unicode.Nd, r):
			if b.Len() == 4 {
				return "", ErrInvalidCode
			}
			b.WriteRune(digitValue(r))
		case unicode.IsSpace(r), unicode.Is(unicode.Pd, r), unicode.Is(unicode.Cf, r):
			// a separator people type between digit pairs, or an
			// invisible character a copy brought along
		default:
			return "", ErrInvalidCode
		}
	}
	if b.Len() != 4 {
		return "", ErrInvalidCode
	}
	return b.String(), nil
}

// digitValue is the ASCII digit of r, a decimal digit (Unicode category
// Nd) of any script. Unicode encodes every decimal digit set as one run of
// ten, zero first (its stability policy for Numeric_Type=Decimal), so
// within each range of the Nd table, which joins adjacent runs, a digit's
// value is its offset from the range's start modulo 10.
func digitValue(r rune) rune {
	for _, rg := range unicode.Nd.R16 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return '0' + (r-lo)%10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return '0' + (r-lo)%10
		}
	}
	return r // not reached for an Nd rune
}
