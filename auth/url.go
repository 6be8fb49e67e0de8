package auth

import "net/url"

// ParseBaseURL parses an API base URL and accepts only http(s) URLs on
// loopback hosts: localhost, 127.0.0.1 (and 127/8 dotted quads) and [::1].
// It rejects userinfo, paths other than "" or "/", queries and fragments.
func ParseBaseURL(s string) (*url.URL, error) { panic("skeleton") }

// NormalizeCode trims surrounding white space and returns the code if it is
// exactly 4 ASCII digits, else [ErrInvalidCode].
func NormalizeCode(s string) (string, error) { panic("skeleton") }
