package auth

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
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

// NormalizeCode trims surrounding white space and returns the code if it is
// exactly 4 ASCII digits, else [ErrInvalidCode]. Leading zeros are kept:
// the server compares the code as a string.
func NormalizeCode(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) != 4 {
		return "", ErrInvalidCode
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", ErrInvalidCode
		}
	}
	return s, nil
}
